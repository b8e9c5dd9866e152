/**
 * Soak: the same `distillscope collect` command started several times at once on one store (two by
 * default), the worst case for paying twice: every process goes through the prompts in the same order.
 * Each prompt must be sent once in all (claims on requests in flight, src/store/claims.ts), every process
 * must exit 0 with one correct line per prompt, and the store must be consistent with no claim left.
 * Usage: node scripts/soak/two-identical.ts [prompts] [processes] [latency ms] [concurrency]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { startMockProviderServer } from "../../src/testing/mock-provider-server.ts";
import { readJsonl, runCli } from "../bench/_collect-common.ts";
import {
  inspectStore,
  range,
  soakAnswer,
  soakPromptText,
  thousands,
  writeSoakPrompts,
} from "./_soak-common.ts";

const prompts = Number(process.argv[2] ?? 3000);
const processes = Number(process.argv[3] ?? 2);
const latencyMs = Number(process.argv[4] ?? 1);
const concurrency = Number(process.argv[5] ?? 8);
const apiKey = "soak-identical-key";
const scratch = mkdtempSync(join(tmpdir(), "distillscope-soak-identical-"));
const home = join(scratch, "home");
const server = await startMockProviderServer({
  latencyMs,
  apiKey,
  respond: (input) => soakAnswer(input.model, input.messages),
});
const problems: string[] = [];
try {
  const promptFile = join(scratch, "prompts.jsonl");
  writeSoakPrompts(promptFile, range(0, prompts));
  const started = performance.now();
  const runs = await Promise.all(
    range(0, processes).map(async (number) => {
      const out = join(scratch, `out-${number}.jsonl`);
      const args = ["--home", home, "--quiet", "collect", "--target", "openai:model-a"];
      args.push("--base-url", server.openaiBaseUrl, "--prompts", promptFile, "--out", out);
      args.push("--concurrency", String(concurrency));
      const ended = await runCli(args, { ...process.env, OPENAI_API_KEY: apiKey }).done;
      const lines = ended.code === 0 ? readJsonl<{ id: string; response: string; cached: boolean }>(out) : [];
      return { number, ended, lines };
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const requests = server.stats().requests;
  for (const { number, ended, lines } of runs) {
    if (ended.code !== 0)
      problems.push(`process ${number}: exit ${ended.code}: ${ended.stderr.trim().slice(0, 300)}`);
    const wrong = lines.filter(
      (line) =>
        line.response !==
        soakAnswer("model-a", [{ role: "user", content: soakPromptText(Number(line.id.slice(1))) }]),
    ).length;
    if (lines.length !== prompts) problems.push(`process ${number}: ${lines.length} lines for ${prompts}`);
    if (new Set(lines.map((line) => line.id)).size !== lines.length)
      problems.push(`process ${number}: duplicated lines`);
    if (wrong > 0) problems.push(`process ${number}: ${wrong} wrong answers`);
    const fresh = lines.filter((line) => !line.cached).length;
    process.stdout.write(
      `process ${number}: exit ${ended.code}, ${lines.length} lines, ${fresh} asked, ${lines.length - fresh} from the store\n`,
    );
  }
  const store = inspectStore(home);
  const database = new DatabaseSync(join(home, "distillscope.sqlite"), { readOnly: true });
  const leftover = (table: string): number =>
    Number(database.prepare(`SELECT count(*) AS n FROM ${table}`).get()?.n ?? 0);
  const claimsLeft = leftover("claims");
  const ownersLeft = leftover("claim_owners");
  database.close();
  if (requests !== prompts) problems.push(`the server was asked ${requests} times for ${prompts} prompts`);
  if (store.integrity !== "ok") problems.push(`integrity_check: ${store.integrity}`);
  if (store.answerRows !== prompts) problems.push(`${store.answerRows} answer rows for ${prompts} prompts`);
  if (store.cacheRows !== prompts || store.cacheDangling !== 0)
    problems.push(`${store.cacheRows} cache rows (${store.cacheDangling} dangling) for ${prompts} prompts`);
  if (claimsLeft + ownersLeft !== 0) problems.push(`${claimsLeft} claims and ${ownersLeft} owners left`);
  process.stdout.write(
    `${processes} identical collect commands started together (${thousands(prompts)} prompts, concurrency ${concurrency}, ${latencyMs} ms answers): ${thousands(requests)} requests for ${thousands(prompts)} prompts, ${store.answerRows} answer rows, integrity ${store.integrity}, ${claimsLeft} claims left; ${seconds.toFixed(1)} s\n`,
  );
} finally {
  await server.close();
  rmSync(scratch, { recursive: true, force: true });
}
for (const problem of problems) process.stdout.write(`problem: ${problem}\n`);
process.stdout.write(`${problems.length === 0 ? "PASS" : "FAIL"}: identical commands soak\n`);
if (problems.length > 0) process.exitCode = 1;
