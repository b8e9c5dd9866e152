/** Runs the CLI (src/cli/main.ts) as a child process, as a user would, and collects what it printed. */
import { execFile } from "node:child_process";
import { join } from "node:path";

export interface CliRun {
  /** Exit code (-1 when the child was killed, e.g. by the time limit). */
  code: number;
  stdout: string;
  stderr: string;
}

const mainScript = join(import.meta.dirname, "..", "cli", "main.ts");

/** `node src/cli/main.ts ...args` with `environment` added to this process's; never rejects. */
export function spawnCli(
  args: readonly string[],
  environment: NodeJS.ProcessEnv = {},
  timeoutMs = 120_000,
): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [mainScript, ...args],
      { env: { ...process.env, ...environment }, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
