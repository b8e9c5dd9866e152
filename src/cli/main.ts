#!/usr/bin/env node
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Command, CommanderError } from "commander";
import { exitCodeFor, exitCodes } from "../errors.ts";
import { redactSecrets } from "../secrets/redact.ts";
import { toolVersion } from "../version.ts";
import { commandRegistrations } from "./commands/index.ts";

/** Builds the whole CLI program; exported so tests can run commands in-process. */
export function buildProgram(): Command {
  const program = new Command()
    .name("distillscope")
    .description("Measure how much a large language model was distilled from another.")
    .version(toolVersion)
    .option("--home <dir>", "state directory (default: $DISTILLSCOPE_HOME or ./.distillscope)")
    .option("--debug", "print stack traces on errors")
    .option("--quiet", "print nothing but errors")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  for (const register of commandRegistrations) register(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  const debug = argv.includes("--debug");
  try {
    await program.parseAsync(argv);
    return process.exitCode === undefined ? exitCodes.success : Number(process.exitCode);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return 0;
      if (error.exitCode === 0) return 0;
      return exitCodes.usage;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`distillscope: ${redactSecrets(message)}\n`);
    if (debug && error instanceof Error && error.stack)
      process.stderr.write(`${redactSecrets(error.stack)}\n`);
    return exitCodeFor(error);
  }
}

/** True when this file is the program: `node main.ts`, `node dist/cli/main.js`, or the `distillscope` bin symlink. */
function isInvokedDirectly(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

const invokedDirectly = isInvokedDirectly();
if (invokedDirectly) {
  main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
