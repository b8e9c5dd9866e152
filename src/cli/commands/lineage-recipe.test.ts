/**
 * The README recipe "Was my model distilled from one of these teachers?", end to end: collect your
 * model's and a candidate's answers to the AlpacaEval prompts (from a model_outputs.json), then run
 * lineage over the public outputs plus your transcripts. A tiny synthetic AlpacaEval folder stands in
 * for the public outputs and a loopback server for the models.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { syntheticCorpus } from "../../metrics/lineage-synthetic.ts";
import { type MockProviderServer, startMockProviderServer } from "../../testing/mock-provider-server.ts";
import { spawnCli } from "../../testing/spawn-cli.ts";

const apiKey = "sk-dscope-TESTKEY-recipe-0c4e2a";
const corpus = syntheticCorpus(4);
/** The public AlpacaEval outputs: every synthetic model except the two the user collects. */
const publicModels = ["teacherb", "teacherc", "independent1", "independent2", "loner"];
/** The served models, each answering as one synthetic model: the user's (a copier) and a candidate. */
const served: Record<string, string> = { "my-model": "copier", "teacher-a": "teachera" };
/** AlpacaEval instructions with the untidy whitespace real ones have; collect must ask them verbatim. */
const instruction = (prompt: number) => `${corpus.prompts[prompt]}\n`;

let server: MockProviderServer;
const asked = new Set<string>();

before(async () => {
  server = await startMockProviderServer({
    apiKey,
    respond: (input) => {
      const text = input.messages.at(-1)!.content;
      asked.add(text);
      const prompt = corpus.prompts.findIndex((_, index) => instruction(index) === text);
      assert.ok(prompt >= 0, `asked a prompt that is not an AlpacaEval instruction: ${JSON.stringify(text)}`);
      return corpus.answers[corpus.models.indexOf(served[input.model]!)]![prompt]!;
    },
  });
});

after(async () => {
  await server.close();
});

function publicOutputs(): string {
  const results = mkdtempSync(join(tmpdir(), "lineage-recipe-results-"));
  for (const model of publicModels) {
    mkdirSync(join(results, model));
    const rows = corpus.prompts.map((_, prompt) => ({
      instruction: instruction(prompt),
      output: corpus.answers[corpus.models.indexOf(model)]![prompt]!,
      generator: model,
    }));
    writeFileSync(join(results, model, "model_outputs.json"), JSON.stringify(rows));
  }
  return results;
}

test("recipe: collect answers to the AlpacaEval prompts, then lineage with the public outputs as reference", async () => {
  const results = publicOutputs();
  const work = mkdtempSync(join(tmpdir(), "lineage-recipe-"));
  const prompts = join(results, "loner", "model_outputs.json");
  const collects = await Promise.all(
    Object.keys(served).map((model) =>
      spawnCli(
        [
          "--home",
          join(work, `home-${model}`),
          "collect",
          "--target",
          `openai:${model}`,
          "--base-url",
          server.openaiBaseUrl,
          "--prompts",
          prompts,
          "--out",
          join(work, `${model}.jsonl`),
        ],
        { OPENAI_API_KEY: apiKey },
      ),
    ),
  );
  for (const run of collects) assert.equal(run.code, 0, run.stderr);
  assert.equal(asked.size, corpus.prompts.length, "every instruction was asked, verbatim");
  const out = join(work, "lineage.json");
  const run = await spawnCli([
    "lineage",
    results,
    join(work, "my-model.jsonl"),
    join(work, "teacher-a.jsonl"),
    "--candidates",
    "openai:teacher-a,teacherb,teacherc",
    "--threads",
    "1",
    "--out",
    out,
  ]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /^input 1: .* \(alpacaeval\): 5 models, 40 prompts$/m);
  assert.match(run.stderr, /^input 2: .*my-model\.jsonl \(jsonl\): model openai:my-model, 40 prompts$/m);
  assert.match(run.stderr, /^aligned on the prompt text: 40 prompts shared by all 7 models$/m);
  const result = JSON.parse(readFileSync(out, "utf8"));
  const mine = result.attributions.find((entry: { model: string }) => entry.model === "openai:my-model");
  assert.equal(mine.teacher, "openai:teacher-a", run.stdout);
  assert.match(run.stdout, /^openai:my-model: teacher openai:teacher-a \(p /m);
  const loner = result.attributions.find((entry: { model: string }) => entry.model === "loner");
  assert.equal(loner.teacher, null);
});
