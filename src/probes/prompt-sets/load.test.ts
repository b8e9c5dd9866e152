import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { InputError } from "../../errors.ts";
import { loadPromptSets } from "./load.ts";

const folder = mkdtempSync(join(tmpdir(), "rse-load-"));
after(() => rmSync(folder, { recursive: true, force: true }));
function file(name: string, text: string): string {
  const path = join(folder, name);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
  return path;
}
const inputError = (message: RegExp) => (error: unknown) =>
  error instanceof InputError && message.test(error.message);

describe("loadPromptSets: the same dataset and id from two files", () => {
  it("names both --prompts values and the fix", async () => {
    const line = `${JSON.stringify({ question_id: "q1", turns: [{ content: "Sort a list." }] })}\n`;
    const first = file("arena-a.jsonl", line);
    const second = file("arena-b.jsonl", line);
    await assert.rejects(
      loadPromptSets([`arena-hard:${first}`, `arena-hard:${second}`]),
      inputError(
        new RegExp(
          `^prompt sets \\(--prompts\\) arena-hard:${first} and arena-hard:${second} both give prompt "q1" of dataset "arena-hard"; load each file once`,
        ),
      ),
    );
  });
  it("names both files when two prompt JSONL files share a base name", async () => {
    const line = `${JSON.stringify({ id: "only", prompt: "Bake bread?" })}\n`;
    const first = file("one.jsonl", line);
    const second = file("b/one.jsonl", line);
    await assert.rejects(
      loadPromptSets([first, second]),
      inputError(
        new RegExp(`${first} and ${second} both give prompt "only" of dataset "one";.*"dataset" field`),
      ),
    );
  });
  it("keeps the short message for one value given twice", async () => {
    await assert.rejects(
      loadPromptSets(["default", "default"]),
      inputError(
        /^prompt set \(--prompts\) default: prompt "\S+" of dataset "default" is given twice; load each set once$/,
      ),
    );
  });
});

describe("loadPromptSets: NuminaMath shards without ids", () => {
  it("loads two shards together: a row's id names its file", async () => {
    const shard = (name: string, problems: string[]) =>
      file(name, problems.map((problem) => `${JSON.stringify({ problem, solution: "secret" })}\n`).join(""));
    const first = shard("train-00000-of-00002.jsonl", ["What is 1+1?", "What is 2+2?"]);
    const second = shard("train-00001-of-00002.jsonl", ["What is 3+3?"]);
    const sets = await loadPromptSets([`numina:${first}`, `numina:${second}`]);
    assert.deepEqual(
      sets.flatMap((set) => set.prompts.map((prompt) => [prompt.dataset, prompt.id, prompt.turns[0]])),
      [
        ["numina", "train-00000-of-00002.jsonl:row-0", "What is 1+1?"],
        ["numina", "train-00000-of-00002.jsonl:row-1", "What is 2+2?"],
        ["numina", "train-00001-of-00002.jsonl:row-0", "What is 3+3?"],
      ],
    );
  });
});

describe("loadPromptSets: a plain file of a format that needs its prefix", () => {
  it("suggests sharegpt: or alpacaeval: for a .json file and numina: for a .parquet file", async () => {
    await assert.rejects(
      loadPromptSets(["data/sharegpt.json"]),
      inputError(
        /or <file>\.jsonl; name the format: sharegpt:data\/sharegpt\.json \(a ShareGPT JSON file\) or alpacaeval:data\/sharegpt\.json \(an AlpacaEval list of instructions\)$/,
      ),
    );
    await assert.rejects(
      loadPromptSets(["train.PARQUET"]),
      inputError(/; name the format: numina:train\.PARQUET \(a NuminaMath Parquet file\)$/),
    );
  });
  it("adds no guess for other names or for an unknown prefix", async () => {
    await assert.rejects(loadPromptSets(["prompts.txt"]), inputError(/or <file>\.jsonl$/));
    await assert.rejects(loadPromptSets(["mmlu:x.json"]), inputError(/or <file>\.jsonl$/));
  });
});

describe("loadPromptSets: alpacaeval:<file>", () => {
  it("gives AlpacaEval's instructions verbatim, one single-turn prompt each", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "prompt-sets-alpacaeval-")), "alpaca_eval.json");
    writeFileSync(
      file,
      JSON.stringify([
        { instruction: "Say hi\n", output: "hi", generator: "gpt4" },
        { instruction: "Name  a colour", output: "red", generator: "gpt4" },
      ]),
    );
    const [set] = await loadPromptSets([`alpacaeval:${file}`]);
    assert.deepEqual(set!.prompts, [
      { id: "0", dataset: "alpacaeval", turns: ["Say hi\n"] },
      { id: "1", dataset: "alpacaeval", turns: ["Name  a colour"] },
    ]);
  });
});
