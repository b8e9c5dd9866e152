/**
 * Runs the report and verify commands in a child process for their tests, with the same global
 * options, error line and exit codes as src/cli/main.ts, but without loading every other command
 * (so these tests do not depend on commands still being built).
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { exitCodeFor } from "../../errors.ts";
import { redactSecrets } from "../../secrets/redact.ts";
import { terminalSafe } from "../../text/terminal-text.ts";
import { register as registerReport } from "./report.ts";
import { register as registerVerify } from "./verify.ts";

export interface CommandOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

const harnessPath = fileURLToPath(import.meta.url);

/** Runs `distillscope <args>` (report and verify only) and returns the exit code and output. */
export function runCommands(args: string[]): CommandOutcome {
  const outcome = spawnSync(process.execPath, [harnessPath, ...args], { encoding: "utf8", timeout: 60_000 });
  return { code: outcome.status, stdout: outcome.stdout, stderr: outcome.stderr };
}

async function main(args: string[]): Promise<number> {
  const program = new Command().name("distillscope").option("--quiet").exitOverride();
  registerReport(program);
  registerVerify(program);
  try {
    await program.parseAsync(["node", "distillscope", ...args]);
    return 0;
  } catch (error) {
    process.stderr.write(
      `distillscope: ${terminalSafe(redactSecrets(error instanceof Error ? error.message : String(error)))}\n`,
    );
    return exitCodeFor(error);
  }
}

if (process.argv[1] === harnessPath) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
