/**
 * Bench (c): a server answering 10% 500s, 10% 429s, 3% hangs, 2% truncated bodies and 2% resets.
 * `distillscope collect` must answer every prompt exactly once with the server's true answer, exit 0.
 * Usage: node scripts/bench/collect-faults.ts [prompts]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  collectArgs,
  promptText,
  readJsonl,
  runCli,
  startServerProcess,
  trueAnswer,
  verdict,
  writePrompts,
} from "./_collect-common.ts";

const prompts = Number(process.argv[2] ?? 2000);
const apiKey = "bench-faults-key";
const scratch = mkdtempSync(join(tmpdir(), "distillscope-bench-c-"));
const server = await startServerProcess(
  {
    latencyMs: 0,
    apiKey,
    seed: 7,
    faults: {
      serverErrorRate: 0.1,
      rateLimitRate: 0.1,
      rateLimitRetryAfterMs: 500,
      hangRate: 0.03,
      truncatedRate: 0.02,
      resetRate: 0.02,
    },
  },
  "truth",
);
const promptFile = join(scratch, "prompts.jsonl");
const out = join(scratch, "out.jsonl");
writePrompts(promptFile, prompts);

const started = performance.now();
const result = await runCli(
  collectArgs({
    home: join(scratch, "home"),
    baseUrl: server.openaiBaseUrl,
    promptFile,
    out,
    extra: ["--concurrency", "32", "--timeout-ms", "2000"],
  }),
  { ...process.env, OPENAI_API_KEY: apiKey },
).done;
const seconds = (performance.now() - started) / 1000;
const stats = await server.stats();
await server.close();

const lines = result.code === 0 ? readJsonl<{ id: string; response: string }>(out) : [];
const ids = new Set(lines.map((line) => line.id));
let wrong = 0;
for (const line of lines) {
  const index = Number(line.id.slice(1));
  if (line.response !== trueAnswer([{ role: "user", content: promptText(index) }])) wrong++;
}
rmSync(scratch, { recursive: true, force: true });
process.stdout.write(
  `${prompts} prompts, concurrency 32, timeout 2000 ms: exit ${result.code} in ${seconds.toFixed(1)} s\n` +
    `server requests ${stats.requests}, by status ${JSON.stringify(stats.byStatus)}\n` +
    `lines ${lines.length}, distinct ids ${ids.size}, wrong answers ${wrong}\n`,
);
if (result.code !== 0) process.stdout.write(result.stderr);
verdict(
  result.code === 0 && lines.length === prompts && ids.size === prompts && wrong === 0,
  "every prompt answered exactly once with the server's true answer, exit 0",
);
