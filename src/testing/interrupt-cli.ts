/**
 * Runs the CLI in a child process and sends it SIGINT (Ctrl-C) once a loopback server has answered a
 * given number of requests: the Ctrl-C tests of collect, ice run, rse run and audit.
 */
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const mainFile = join(dirname(fileURLToPath(import.meta.url)), "..", "cli", "main.ts");

export interface InterruptedRun {
  /** Exit code of the interrupted command. */
  code: number | null;
  stderr: string;
}

export async function interruptAfterRequests(
  args: readonly string[],
  environment: NodeJS.ProcessEnv,
  server: { stats: () => { requests: number } },
  requests: number,
  timeoutMs = 30_000,
): Promise<InterruptedRun> {
  const child = spawn(process.execPath, [mainFile, ...args], {
    env: environment,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  const closed = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  const deadline = Date.now() + timeoutMs;
  while (server.stats().requests < requests && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 20));
  child.kill("SIGINT");
  return { code: await closed, stderr };
}
