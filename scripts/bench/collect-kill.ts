/**
 * Bench (d): `distillscope collect` is killed with SIGKILL mid-run and started again. Nothing lost (one
 * line per prompt, each the server's true answer), nothing duplicated (in the output and the store), and
 * the server is never asked again for an answer the store already had (its per-prompt success counts).
 * Usage: node scripts/bench/collect-kill.ts [prompts]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../../src/store/store.ts";
import { promptKey } from "../../src/testing/mock-provider-server.ts";
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

const prompts = Number(process.argv[2] ?? 3000);
const apiKey = "bench-kill-key";
const scratch = mkdtempSync(join(tmpdir(), "distillscope-bench-d-"));
const home = join(scratch, "home");
const server = await startServerProcess({ latencyMs: 20, apiKey }, "truth");
const promptFile = join(scratch, "prompts.jsonl");
const out = join(scratch, "out.jsonl");
writePrompts(promptFile, prompts);
const args = collectArgs({
  home,
  baseUrl: server.openaiBaseUrl,
  promptFile,
  out,
  extra: ["--concurrency", "16"],
});
const environment = { ...process.env, OPENAI_API_KEY: apiKey };

const first = runCli(args, environment);
const killAt = Math.floor(prompts / 3);
for (;;) {
  await new Promise((resolve) => setTimeout(resolve, 50));
  if ((await server.stats()).requests >= killAt) break;
}
first.child.kill("SIGKILL");
const killed = await first.done;
const storeAfterKill = openStore(home);
const storedBefore = new Set(
  [...storeAfterKill.answers()].map((answer) => promptKey("bench-model", answer.messages)),
);
storeAfterKill.close();
const requestsAtKill = (await server.stats()).requests;

const second = await runCli(args, environment).done;
const stats = await server.stats();
await server.close();

const lines = second.code === 0 ? readJsonl<{ id: string; response: string; cached: boolean }>(out) : [];
const ids = new Set(lines.map((line) => line.id));
const wrong = lines.filter(
  (line) => line.response !== trueAnswer([{ role: "user", content: promptText(Number(line.id.slice(1))) }]),
).length;
const reasked = [...storedBefore].filter((prompt) => (stats.successfulByPrompt[prompt] ?? 0) > 1).length;
const cachedLines = lines.filter((line) => line.cached).length;
const store = openStore(home);
const storedAnswers = store.counts().answers;
const integrity = store.integrityCheck();
store.close();
rmSync(scratch, { recursive: true, force: true });

process.stdout.write(
  `${prompts} prompts, latency 20 ms, concurrency 16; SIGKILL after ${requestsAtKill} server requests (signal ${killed.signal})\n` +
    `stored at the kill: ${storedBefore.size}; second run exit ${second.code}: ${lines.length} lines, ${ids.size} distinct, ${cachedLines} from the store, ${wrong} wrong\n` +
    `server requests in total ${stats.requests}; stored answers re-asked: ${reasked}; store rows ${storedAnswers}, integrity ${integrity}\n`,
);
if (second.code !== 0) process.stdout.write(second.stderr);
verdict(
  killed.signal === "SIGKILL" &&
    storedBefore.size > 0 &&
    second.code === 0 &&
    lines.length === prompts &&
    ids.size === prompts &&
    wrong === 0 &&
    reasked === 0 &&
    cachedLines >= storedBefore.size &&
    storedAnswers === prompts &&
    integrity === "ok",
  "after SIGKILL and restart: nothing lost, nothing duplicated, nothing stored asked again",
);
