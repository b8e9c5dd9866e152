import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { parquetWriteBuffer } from "hyparquet-writer";
import { InputError } from "../../errors.ts";
import { loadArenaHard } from "./arena-hard.ts";
import { defaultPromptSet } from "./default-set.ts";
import { loadPromptJsonl } from "./jsonl.ts";
import { loadPromptSets, samplePromptSet } from "./load.ts";
import { loadNumina } from "./numina.ts";
import { loadShareGpt } from "./sharegpt.ts";

const folder = mkdtempSync(join(tmpdir(), "rse-prompts-"));
after(() => rmSync(folder, { recursive: true, force: true }));
function file(name: string, text: string): string {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
}

describe("default prompt set", () => {
  it("has at least 80 prompts with unique ids, multi-turn and Chinese ones", () => {
    const set = defaultPromptSet();
    assert.ok(set.prompts.length >= 80);
    assert.equal(new Set(set.prompts.map((prompt) => prompt.id)).size, set.prompts.length);
    assert.ok(set.prompts.filter((prompt) => prompt.turns.length > 1).length >= 5);
    assert.ok(set.prompts.some((prompt) => /[\u4e00-\u9fff]/.test(prompt.turns[0]!)));
    const categories = new Set(set.prompts.map((prompt) => prompt.category));
    for (const name of ["coding", "math", "writing", "advice", "knowledge", "reasoning"])
      assert.ok(categories.has(name), name);
  });
});

describe("Arena-Hard loader", () => {
  it("reads the v0.1 and v2 shapes", async () => {
    const path = file(
      "arena.jsonl",
      `${JSON.stringify({ question_id: "q1", category: "arena-hard-v0.1", turns: [{ content: "Hello?" }] })}\n\n` +
        `${JSON.stringify({ uid: "u2", category: "coding", prompt: "Write a parser." })}\n`,
    );
    const set = await loadArenaHard(path);
    assert.deepEqual(
      set.prompts.map((prompt) => [prompt.id, prompt.turns]),
      [
        ["q1", ["Hello?"]],
        ["u2", ["Write a parser."]],
      ],
    );
    assert.equal(set.prompts[1]!.category, "coding");
  });
  it("names file:line and the field of a malformed line", async () => {
    const path = file(
      "arena-bad.jsonl",
      `${JSON.stringify({ uid: "a", prompt: "ok" })}\n{"uid": "b", "prompt": 7}\n`,
    );
    await assert.rejects(loadArenaHard(path), (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.match(error.message, /arena-bad\.jsonl:2: field "prompt"/);
      return true;
    });
    const broken = file("arena-broken.jsonl", "{not json\n");
    await assert.rejects(loadArenaHard(broken), /arena-broken\.jsonl:1: not valid JSON/);
    const neither = file("arena-neither.jsonl", `${JSON.stringify({ uid: "c" })}\n`);
    await assert.rejects(loadArenaHard(neither), /:1: expected Arena-Hard/);
  });
});

describe("NuminaMath loader", () => {
  it("reads problem, or the first user message", async () => {
    const path = file(
      "numina.jsonl",
      `${JSON.stringify({ problem: "1+1?", solution: "2", source: "amc" })}\n` +
        `${JSON.stringify({
          messages: [
            { role: "user", content: "2+2?" },
            { role: "assistant", content: "4" },
          ],
        })}\n`,
    );
    const set = await loadNumina(path);
    assert.deepEqual(
      set.prompts.map((prompt) => prompt.turns[0]),
      ["1+1?", "2+2?"],
    );
    assert.equal(set.prompts[0]!.category, "amc");
  });
  it("rejects a row without a problem, naming the line", async () => {
    const path = file(
      "numina-bad.jsonl",
      `${JSON.stringify({ problem: "x" })}\n${JSON.stringify({ solution: "y" })}\n`,
    );
    await assert.rejects(loadNumina(path), /numina-bad\.jsonl:2: field "problem"/);
  });
  it("reads the problem column of a Parquet file", async () => {
    const buffer = parquetWriteBuffer({
      columnData: [
        { name: "source", data: ["olympiads", "amc_aime"], type: "STRING" },
        { name: "problem", data: ["Find x if 2x = 6.", "How many primes are below 20?"], type: "STRING" },
        { name: "solution", data: ["x = 3", "8"], type: "STRING" },
      ],
    });
    const path = file("numina.parquet", "");
    writeFileSync(path, new Uint8Array(buffer));
    const set = await loadNumina(path);
    assert.deepEqual(
      set.prompts.map((prompt) => [prompt.id, prompt.turns[0], prompt.category]),
      [
        ["numina.parquet:row-0", "Find x if 2x = 6.", "olympiads"],
        ["numina.parquet:row-1", "How many primes are below 20?", "amc_aime"],
      ],
    );
  });
  it("rejects a file that is not Parquet", async () => {
    const path = file("fake.parquet", "not parquet at all");
    await assert.rejects(loadNumina(path), /fake\.parquet: cannot read as Parquet/);
  });
});

describe("ShareGPT loader", () => {
  it("keeps human turns in order, drops recorded answers and skips empty conversations", async () => {
    const path = file(
      "sharegpt.json",
      JSON.stringify([
        {
          id: "c1",
          conversations: [
            { from: "human", value: "first" },
            { from: "gpt", value: "recorded answer" },
            { from: "human", value: "second" },
          ],
        },
        { id: "c2", conversations: [{ from: "gpt", value: "only an answer" }] },
      ]),
    );
    const set = await loadShareGpt(path);
    assert.equal(set.prompts.length, 1);
    assert.deepEqual(set.prompts[0]!.turns, ["first", "second"]);
    assert.deepEqual(set.skipped, { "no human turn": 1 });
  });
  it("streams a large array across read chunks, with braces and escapes inside strings", async () => {
    const conversations = Array.from({ length: 400 }, (_, index) => ({
      id: `c${index}`,
      conversations: [
        {
          from: "human",
          value: `question ${index} with {braces} [brackets] "quotes" \\ and 中文 ${"x".repeat(400)}`,
        },
        { from: "gpt", value: "answer" },
      ],
    }));
    const path = file("sharegpt-large.json", `\ufeff${JSON.stringify(conversations, null, 1)}`);
    const set = await loadShareGpt(path);
    assert.equal(set.prompts.length, 400);
    assert.equal(set.prompts[399]!.turns[0], conversations[399]!.conversations[0]!.value);
    const unclosed = file("sharegpt-unclosed.json", JSON.stringify(conversations.slice(0, 2)).slice(0, -1));
    await assert.rejects(loadShareGpt(unclosed), /the array is not closed/);
  });
  it("names the conversation and field of a malformed record", async () => {
    const path = file("sharegpt-bad.json", JSON.stringify([{ id: "x", conversations: [{ from: "human" }] }]));
    await assert.rejects(loadShareGpt(path), /conversation 0 conversations\[0\]: field "value"/);
    const notArray = file("sharegpt-object.json", JSON.stringify({ id: "x" }));
    await assert.rejects(loadShareGpt(notArray), /expected a JSON array/);
  });
});

describe("prompt JSONL and specifications", () => {
  it("reads prompt and messages lines", async () => {
    const path = file(
      "mine.jsonl",
      `${JSON.stringify({ id: "a", prompt: "hi" })}\n` +
        `${JSON.stringify({
          id: "b",
          messages: [
            { role: "system", content: "be brief" },
            { role: "user", content: "one" },
            { role: "assistant", content: "x" },
            { role: "user", content: "two" },
          ],
        })}\n`,
    );
    const set = await loadPromptJsonl(path);
    assert.equal(set.dataset, "mine");
    assert.deepEqual(set.prompts[1], { id: "b", dataset: "mine", turns: ["one", "two"], system: "be brief" });
    const duplicate = file(
      "dup.jsonl",
      `${JSON.stringify({ id: "a", prompt: "x" })}\n${JSON.stringify({ id: "a", prompt: "y" })}\n`,
    );
    await assert.rejects(loadPromptJsonl(duplicate), /dup\.jsonl:2: duplicate id/);
  });
  it("samples a seeded, repeatable subset in file order", async () => {
    const set = defaultPromptSet();
    const first = samplePromptSet(set, 10, 7);
    const second = samplePromptSet(set, 10, 7);
    const other = samplePromptSet(set, 10, 8);
    assert.equal(first.prompts.length, 10);
    assert.deepEqual(first.prompts, second.prompts);
    assert.notDeepEqual(first.prompts, other.prompts);
    const order = first.prompts.map((prompt) => set.prompts.indexOf(prompt));
    assert.deepEqual(
      order,
      [...order].sort((left, right) => left - right),
    );
    const sets = await loadPromptSets([], { limit: 5 });
    assert.equal(sets[0]!.prompts.length, 5);
  });
  it("rejects unknown specifications, missing files and a set given twice", async () => {
    await assert.rejects(
      loadPromptSets(["mmlu:x.json"]),
      /^InputError: prompt set \(--prompts\) "mmlu:x\.json": expected default, arena-hard/,
    );
    await assert.rejects(
      loadPromptSets([join(folder, "missing.jsonl")]),
      /missing\.jsonl: cannot read.*ENOENT/,
    );
    await assert.rejects(loadPromptSets(["default", "default"]), /given twice/);
    const isInputError = (message: RegExp) => (error: unknown) =>
      error instanceof InputError && message.test(error.message);
    await assert.rejects(
      loadPromptSets("default" as unknown as string[]),
      isInputError(
        /^prompt sets \(--prompts\): give a list of prompt sets, e\.g\. \["default"\].*got "default"/,
      ),
    );
    for (const limit of [0, -1, 2.5, Number.NaN])
      await assert.rejects(
        loadPromptSets(["default"], { limit }),
        isInputError(/^limit \(--limit\) must be a whole number >= 1, got /),
        String(limit),
      );
    await assert.rejects(
      loadPromptSets(["default"], { seed: 0.5 }),
      isInputError(/^seed \(--seed\) must be a whole number >= 0, got 0\.5$/),
    );
    // As the CLI's --seed: a negative seed is refused too.
    await assert.rejects(
      loadPromptSets(["default"], { seed: -1 }),
      isInputError(/^seed \(--seed\) must be a whole number >= 0, got -1$/),
    );
    await assert.rejects(loadPromptSets(["sharegpt:"]), /give a file after "sharegpt:"/);
  });
  it("turns a folder, a duplicate NuminaMath id and a byte-order mark into clear results", async () => {
    for (const kind of ["arena-hard", "numina", "sharegpt", "jsonl"])
      await assert.rejects(loadPromptSets([`${kind}:${folder}`]), (error: unknown) => {
        assert.ok(error instanceof InputError, kind);
        assert.match(error.message, /cannot read the prompt file \(EISDIR\)/);
        return true;
      });
    const duplicate = file(
      "numina-duplicate.jsonl",
      '{"id": "a", "problem": "x"}\n{"id": "a", "problem": "y"}\n',
    );
    await assert.rejects(loadNumina(duplicate), /numina-duplicate\.jsonl:2: duplicate id "a"/);
    const marked = file("marked.jsonl", `\uFEFF${JSON.stringify({ id: "a", prompt: "Hello" })}\r\n`);
    assert.deepEqual((await loadPromptJsonl(marked)).prompts[0]!.turns, ["Hello"]);
  });
});
