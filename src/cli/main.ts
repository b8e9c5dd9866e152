#!/usr/bin/env node
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Command, CommanderError } from "commander";
import { exitCodeFor, exitCodes } from "../errors.ts";
import { onOmittedParameter } from "../models/parameter-fallback.ts";
import { closeOpenRoutes } from "../models/route-closing.ts";
import { redactSecrets } from "../secrets/redact.ts";
import { terminalSafe, terminalSafeLine } from "../text/terminal-text.ts";
import { toolVersion } from "../version.ts";
import { commandRegistrations } from "./commands/index.ts";
import { checkPathAdvice } from "./common.ts";
import { hideSqliteExperimentalWarning } from "./quiet-sqlite-warning.ts";
import { checkRequiredOptionsAfterUnknown } from "./required-options.ts";

/** Commander's usage error ("error: unknown option '--x'\n") as the one line every other error is. */
export function usageErrorLine(text: string): string {
  const message = text
    .replace(/^error: /, "")
    .trim()
    .replace(/\s*\n\s*/g, " ");
  return `distillscope: ${message} (run with --help for usage)\n`;
}

const pathErrorCodes = new Set(["ENOENT", "ENOTDIR", "EISDIR", "EEXIST", "EACCES", "EPERM", "EROFS"]);

/**
 * A raw file-system error on a path the user named (an --out in a missing, read-only or non-folder
 * place) is bad usage (exit 2): one line naming the path and the fix instead of Node's message.
 */
export function pathProblem(error: unknown): string | undefined {
  // Only Node's own errors: the library's InputError / RuntimeFailure already say what to fix.
  if (!(error instanceof Error) || error.name !== "Error") return undefined;
  const { code, path, syscall } = error as { code?: unknown; path?: unknown; syscall?: unknown };
  if (typeof code !== "string" || typeof path !== "string" || typeof syscall !== "string") return undefined;
  if (!pathErrorCodes.has(code)) return undefined;
  return `${path}: ${syscall} failed (${code}); ${checkPathAdvice}`;
}

/** Builds the whole CLI program; exported so tests can run commands in-process. */
export function buildProgram(): Command {
  const program = new Command()
    .name("distillscope")
    .description("Measure how much a large language model was distilled from another.")
    .version(toolVersion)
    .option("--home <dir>", "state directory (default: $DISTILLSCOPE_HOME or ./.distillscope)")
    .option("--debug", "print stack traces on errors")
    .option("--quiet", "print nothing but errors")
    // Every sub-command's --help also lists --home, --quiet and --debug (inherited by sub-commands).
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({ outputError: (text, write) => write(usageErrorLine(text)) })
    .exitOverride();
  for (const register of commandRegistrations) register(program);
  checkRequiredOptionsAfterUnknown(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  const debug = argv.includes("--debug");
  // A model that refuses a temperature runs at its default: said once per model, as it is learnt.
  const stopNotes = argv.includes("--quiet")
    ? () => {}
    : onOmittedParameter((note) =>
        process.stderr.write(`distillscope: note: ${terminalSafeLine(redactSecrets(note.message))}\n`),
      );
  try {
    await program.parseAsync(argv);
    return process.exitCode === undefined ? exitCodes.success : Number(process.exitCode);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return 0;
      if (error.exitCode === 0) return 0;
      return exitCodes.usage;
    }
    const pathMessage = pathProblem(error);
    const message = pathMessage ?? (error instanceof Error ? error.message : String(error));
    // Every error message passes here: text from servers and files in it must not drive the terminal.
    process.stderr.write(`distillscope: ${terminalSafeLine(redactSecrets(message))}\n`);
    if (debug && error instanceof Error && error.stack)
      process.stderr.write(`${terminalSafe(redactSecrets(error.stack))}\n`);
    return pathMessage === undefined ? exitCodeFor(error) : exitCodes.usage;
  } finally {
    stopNotes();
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

/**
 * `distillscope lineage ... | head -1`: when the reader of stdout or stderr goes away, stop quietly (as
 * Unix tools do) instead of dying on an unhandled EPIPE with a stack trace.
 */
export function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode === undefined ? 0 : Number(process.exitCode));
    throw error;
  });
}

const invokedDirectly = isInvokedDirectly();
if (invokedDirectly) {
  hideSqliteExperimentalWarning();
  exitQuietlyOnClosedPipe(process.stdout);
  exitQuietlyOnClosedPipe(process.stderr);
  main(process.argv).then(async (code) => {
    process.exitCode = code;
    // Connections a finished command abandoned (a tunnel a stalled proxy never answered) must not keep
    // the process alive.
    await closeOpenRoutes();
  });
}
