/** Runs the CLI's main() in this process (fast, no child), capturing what it writes to stderr. */
import { main } from "../cli/main.ts";

export async function mainInProcess(args: readonly string[]): Promise<{ status: number; stderr: string }> {
  let stderr = "";
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    const status = await main(["node", "distillscope", ...args]);
    return { status, stderr };
  } finally {
    process.stderr.write = write;
  }
}
