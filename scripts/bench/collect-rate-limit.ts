/**
 * Bench (b): the server enforces 600 requests/minute; `distillscope collect --rpm 600` of 1,200 prompts
 * must finish within 10% of the 2-minute minimum with at most 2% of requests answered 429.
 * Runs in REAL time (about two minutes), the CLI as a child process, the server in another.
 * Usage: node scripts/bench/collect-rate-limit.ts
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  collectArgs,
  readJsonl,
  runCli,
  startServerProcess,
  verdict,
  writePrompts,
} from "./_collect-common.ts";

const prompts = 1200;
const requestsPerMinute = 600;
const minimumSeconds = (prompts / requestsPerMinute) * 60;
const apiKey = "bench-rate-key";
const scratch = mkdtempSync(join(tmpdir(), "distillscope-bench-b-"));
const server = await startServerProcess({ latencyMs: 5, apiKey, requestsPerMinute });
const promptFile = join(scratch, "prompts.jsonl");
const out = join(scratch, "out.jsonl");
writePrompts(promptFile, prompts);

const started = performance.now();
const run = runCli(
  collectArgs({
    home: join(scratch, "home"),
    baseUrl: server.openaiBaseUrl,
    promptFile,
    out,
    extra: ["--concurrency", "16", "--rpm", String(requestsPerMinute)],
  }),
  { ...process.env, OPENAI_API_KEY: apiKey },
);
const result = await run.done;
const seconds = (performance.now() - started) / 1000;
const stats = await server.stats();
await server.close();
const lines = result.code === 0 ? readJsonl(out).length : 0;
rmSync(scratch, { recursive: true, force: true });

const rateLimited = stats.byStatus["429"] ?? 0;
const share = rateLimited / Math.max(1, stats.requests);
process.stdout.write(
  `real time (not simulated): ${prompts} prompts, server limit ${requestsPerMinute}/min, collect --rpm ${requestsPerMinute} --concurrency 16\n` +
    `exit ${result.code}, ${lines} lines, ${seconds.toFixed(1)} s (minimum ${minimumSeconds.toFixed(0)} s, ${((seconds / minimumSeconds - 1) * 100).toFixed(1)}% over)\n` +
    `server requests ${stats.requests}, 429s ${rateLimited} (${(share * 100).toFixed(2)}%)\n`,
);
if (result.code !== 0) process.stdout.write(result.stderr);
verdict(
  result.code === 0 && lines === prompts && seconds <= minimumSeconds * 1.1 && share <= 0.02,
  `finished in ${seconds.toFixed(1)} s <= ${(minimumSeconds * 1.1).toFixed(0)} s with ${(share * 100).toFixed(2)}% 429s <= 2%`,
);
