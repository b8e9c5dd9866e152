/**
 * Bench: how long `distillscope rse run` (default prompt set, default limits) takes to give up on a
 * reference whose server is dead, while the target answers. It must exit 3 with the "never answered"
 * line naming the reference and its endpoint, well before every item's retries (442-457 s for an
 * always-500 server before the cut-off).
 * Usage: node scripts/bench/rse-dead-reference.ts [500|reset|hang ...]   (default: 500; hang takes ~3 min)
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type MockFaults, startMockProviderServer } from "../../src/testing/mock-provider-server.ts";

const faultsByMode: Record<string, MockFaults> = {
  "500": { serverErrorRate: 1 },
  reset: { resetRate: 1 },
  hang: { hangRate: 1 },
};
const modes = process.argv.length > 2 ? process.argv.slice(2) : ["500"];
const apiKey = "sk-bench-dead-reference-0123456789";
let failed = false;
for (const mode of modes) {
  const faults = faultsByMode[mode];
  if (faults === undefined) {
    process.stderr.write(`unknown mode ${mode}: use 500, reset or hang\n`);
    process.exit(2);
  }
  const healthy = await startMockProviderServer({ apiKey });
  const dead = await startMockProviderServer({ apiKey, faults });
  const home = mkdtempSync(join(tmpdir(), "distillscope-bench-dead-reference-"));
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [
      join(import.meta.dirname, "../../src/cli/main.ts"),
      ...["rse", "run", "--home", home, "--quiet", "--out", join(home, "rse.json")],
      ...["--target", "openai:target-model", "--base-url", healthy.openaiBaseUrl],
      ...["--reference", "openai:reference-model", "--reference-base-url", dead.openaiBaseUrl],
    ],
    { env: { ...process.env, OPENAI_API_KEY: apiKey }, stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number>((resolve) => child.on("exit", (exit) => resolve(exit ?? -1)));
  const seconds = (Date.now() - started) / 1000;
  const named = stderr.includes(`openai:reference-model at ${new URL(dead.url).host} never answered: `);
  const ok = code === 3 && named && !stderr.includes(apiKey);
  failed ||= !ok;
  process.stdout.write(
    `${mode}: exit ${code} after ${seconds.toFixed(1)} s; ${dead.stats().requests} requests to the dead ` +
      `reference, ${healthy.stats().requests} to the target; ${ok ? "ok" : "FAILED"}\n  ${stderr.trim()}\n`,
  );
  await healthy.close();
  await dead.close();
  rmSync(home, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
