/**
 * A target that refuses temperature (as OpenAI's reasoning models do) end to end: `collect`, `rse run`
 * and `ice run` as child processes against the loopback mock provider, which answers such requests with
 * OpenAI's own 400 body. The run completes, says once on stderr that the model runs at its default
 * temperature, and records it in the output; a re-run is served from the store, and the report says it.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type MockProviderServer, startMockProviderServer } from "../../testing/mock-provider-server.ts";
import { spawnCli } from "../../testing/spawn-cli.ts";

const folder = mkdtempSync(join(tmpdir(), "distillscope-temperature-fallback-"));
const apiKey = "sk-dscope-TESTKEY-temperature-0001";
let server: MockProviderServer;

before(async () => {
  server = await startMockProviderServer({
    apiKey,
    rejectTemperatureModels: ["o3"],
    respond: ({ model, messages }) =>
      `${model} says: ${messages.at(-1)?.content.split(" ").reverse().join(" ") ?? ""}`,
  });
});
after(async () => {
  await server.close();
  rmSync(folder, { recursive: true, force: true });
});

const cli = (home: string, args: string[]) =>
  spawnCli(["--home", home, ...args], { OPENAI_API_KEY: apiKey, CI: "true" });
const notesIn = (stderr: string) => stderr.split("\n").filter((line) => line.includes("note: openai:o3"));

test("collect against a model that refuses temperature completes, notes it once and records it", async () => {
  const home = join(folder, "collect-home");
  const prompts = join(folder, "prompts.jsonl");
  writeFileSync(
    prompts,
    ["one", "two", "three"].map((id) => JSON.stringify({ id, prompt: `say ${id} please` })).join("\n"),
  );
  const out = join(folder, "out.jsonl");
  const args = ["collect", "--target", "openai:o3", "--base-url", server.openaiBaseUrl, "--prompts", prompts];
  server.resetStats();
  // One at a time: the requests already in flight when the first refusal comes back are refused too.
  const first = await cli(home, [...args, "--concurrency", "1", "--out", out]);
  assert.equal(first.code, 0, first.stderr);
  assert.deepEqual(notesIn(first.stderr), [
    "distillscope: note: openai:o3 does not take temperature: its requests are sent without it, so it answers at its provider's default temperature (recorded as parameters.sentWithout)",
  ]);
  assert.equal(server.stats().byStatus["400"], 1, "one refusal, then no temperature is sent");
  assert.equal(server.stats().byStatus["200"], 3);
  const lines = readFileSync(out, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));
  assert.deepEqual(
    lines.map((line) => [line.id, line.parameters, line.cached]),
    ["one", "two", "three"].map((id) => [id, { temperature: 0, sentWithout: ["temperature"] }, false]),
  );

  server.resetStats();
  const again = await cli(home, [...args, "--out", join(folder, "again.jsonl")]);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(server.stats().requests, 0, "served from the store");
  const served = readFileSync(join(folder, "again.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));
  assert.ok(served.every((line) => line.cached && line.parameters.sentWithout?.[0] === "temperature"));
});

test("rse run with such a target completes and its result says the target ran at its default temperature", async () => {
  const home = join(folder, "rse-home");
  const out = join(folder, "rse.json");
  server.resetStats();
  const run = await cli(home, [
    "rse",
    "run",
    "--target",
    "openai:o3",
    "--base-url",
    server.openaiBaseUrl,
    "--reference",
    "openai:gpt-4o",
    "--reference-base-url",
    server.openaiBaseUrl,
    "--out",
    out,
  ]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(notesIn(run.stderr).length, 1, run.stderr);
  // Only the requests in flight before the first refusal came back (at most the concurrency, 8).
  const refused = server.stats().byStatus["400"] ?? 0;
  assert.ok(refused >= 1 && refused <= 8, `${refused} refusals`);
  const result = JSON.parse(readFileSync(out, "utf8"));
  assert.deepEqual(result.generation, { temperature: 0 });
  assert.deepEqual(result.answerCounts["openai:o3"].sentWithout, ["temperature"]);
  assert.equal(result.answerCounts["openai:o3"].failed, 0);
  assert.equal(
    result.answerCounts["openai:gpt-4o"].sentWithout,
    undefined,
    "the reference took temperature 0",
  );
  // The report of that result says it under the RSE table, for the target only.
  const report = await cli(home, ["report", out]);
  assert.equal(report.code, 0, report.stderr);
  assert.match(
    report.stdout,
    /^\*\*Note:\*\* openai:o3 \(target\) was sampled without temperature \(the model refused temperature 0\): its answers are not deterministic/m,
  );
  assert.equal(report.stdout.split("sampled without").length, 2, report.stdout);
});

test("ice run with such a target records it, and its report says so under the ICE table", async () => {
  const home = join(folder, "ice-home");
  const out = join(folder, "ice.json");
  const run = await cli(home, [
    "ice",
    "run",
    "--target",
    "openai:o3",
    "--base-url",
    server.openaiBaseUrl,
    "--budget",
    "20",
    "--questions",
    "5",
    "--seed",
    "1",
    "--out",
    out,
  ]);
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(readFileSync(out, "utf8"));
  assert.deepEqual(result.generation, { temperature: 0, sentWithout: ["temperature"] });
  const report = await cli(home, ["report", out]);
  assert.equal(report.code, 0, report.stderr);
  assert.ok(
    report.stdout.includes(
      "**Note:** openai:o3 was sampled without temperature (the model refused temperature 0): its answers are not deterministic, as it answered at its provider's default temperature.",
    ),
    report.stdout,
  );
});
