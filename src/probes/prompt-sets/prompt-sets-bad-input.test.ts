/**
 * Prompt files on awkward input (review of issue 4, L1-L4 and row numbers): bytes that are not UTF-8,
 * ShareGPT arrays that are not JSON, a blank NuminaMath problem beside a usable user turn, a late system
 * message, and 1-based Parquet rows.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { parquetWriteBuffer } from "hyparquet-writer";
import { InputError } from "../../errors.ts";
import { loadArenaHard } from "./arena-hard.ts";
import { loadPromptJsonl } from "./jsonl.ts";
import { loadNumina } from "./numina.ts";
import { loadShareGpt } from "./sharegpt.ts";

const folder = mkdtempSync(join(tmpdir(), "rse-prompts-bad-"));
after(() => rmSync(folder, { recursive: true, force: true }));
function file(name: string, content: string | Buffer | ArrayBuffer): string {
  const path = join(folder, name);
  writeFileSync(path, content instanceof ArrayBuffer ? new Uint8Array(content) : content);
  return path;
}
const inputError = (pattern: RegExp) => (error: unknown) =>
  error instanceof InputError && pattern.test(error.message) && !error.message.includes("\n");
const latin1 = (text: string): Buffer => Buffer.from(text, "latin1");
const conversation = (id: string, text: string) => ({ id, conversations: [{ from: "human", value: text }] });

describe("L1: bytes that are not UTF-8", () => {
  it("an Arena-Hard line is named", async () => {
    const path = file("ah-latin1.jsonl", latin1(`{"uid":"1","prompt":"tea"}\n{"uid":"2","prompt":"café"}\n`));
    await assert.rejects(
      loadArenaHard(path),
      inputError(/ah-latin1\.jsonl:2: not UTF-8; re-save it as UTF-8$/),
    );
  });
  it("a ShareGPT conversation is named by the line it is on", async () => {
    const text = JSON.stringify([conversation("a", "hi"), conversation("b", "café")], null, 1);
    const path = file("sharegpt-latin1.json", latin1(text));
    const line = text.split("\n").findIndex((entry) => entry.includes("café")) + 1;
    await assert.rejects(
      loadShareGpt(path),
      inputError(new RegExp(`sharegpt-latin1\\.json:${line}: not UTF-8`)),
    );
  });
  it("valid UTF-8, a BOM and a literal U+FFFD still load", async () => {
    const path = file("ok.jsonl", `\uFEFF{"id":"a","prompt":"café � 你好"}\n`);
    assert.deepEqual((await loadPromptJsonl(path)).prompts[0]!.turns, ["café � 你好"]);
  });
});

describe("L2: ShareGPT arrays must be JSON arrays", () => {
  const one = JSON.stringify(conversation("a", "hi"));
  const two = JSON.stringify(conversation("b", "ho"));
  for (const [name, text, pattern] of [
    ["leading commas", `[,,${one},${two}]`, /:1: a "," before the first element/],
    ["no comma", `[${one}\n ${two}]`, /:2: expected "," or "\]" after element 0/],
    ["two commas", `[${one},,${two}]`, /:1: two "," after element 0/],
    ["a trailing comma", `[${one},\n${two},\n]`, /:3: a "," before "\]" \(trailing comma\) after element 1/],
    ["everything at once", `[,,${one} ${two},]`, /:1: a "," before the first element/],
  ] as const)
    it(`refuses ${name} with file:line`, async () => {
      const path = file(`lenient-${name.replace(/ /g, "-")}.json`, text);
      await assert.rejects(loadShareGpt(path), inputError(pattern));
    });
  it("still reads an empty-looking but valid array and a BOM", async () => {
    const path = file("valid.json", `\uFEFF[\n${one} ,\r\n ${two}\n]\n`);
    assert.deepEqual(
      (await loadShareGpt(path)).prompts.map((prompt) => prompt.id),
      ["a", "b"],
    );
  });
});

describe("L3: NuminaMath problem blank or null beside a user turn", () => {
  const messages = (text: string) => [
    { role: "user", content: text },
    { role: "assistant", content: "solution" },
  ];
  it("JSONL: an empty problem uses the messages' user turn; nothing usable names the line", async () => {
    const path = file(
      "numina.jsonl",
      [
        { problem: "Find x.", messages: messages("ignored") },
        { problem: "", messages: messages("Solve 2x = 4.") },
        { problem: null, messages: messages("Solve 3x = 9.") },
      ]
        .map((row) => JSON.stringify(row))
        .join("\n"),
    );
    assert.deepEqual(
      (await loadNumina(path)).prompts.map((prompt) => prompt.turns[0]),
      ["Find x.", "Solve 2x = 4.", "Solve 3x = 9."],
    );
    const bad = file("numina-bad.jsonl", `{"problem":"ok"}\n{"problem":"  ","messages":[]}\n`);
    await assert.rejects(
      loadNumina(bad),
      inputError(/numina-bad\.jsonl:2: field "problem" must be a non-empty/),
    );
  });
  it("Parquet: a null problem uses that row's messages; rows are numbered from 1", async () => {
    const path = file(
      "numina-null.parquet",
      parquetWriteBuffer({
        columnData: [
          { name: "problem", data: ["Find x.", null, "Find y."], type: "STRING" },
          { name: "messages", data: [messages("a"), messages("Solve 5x = 10."), messages("b")] },
        ],
      }),
    );
    assert.deepEqual(
      (await loadNumina(path)).prompts.map((prompt) => prompt.turns[0]),
      ["Find x.", "Solve 5x = 10.", "Find y."],
    );
    const bare = file(
      "numina-null-bare.parquet",
      parquetWriteBuffer({ columnData: [{ name: "problem", data: ["Find x.", null], type: "STRING" }] }),
    );
    await assert.rejects(
      loadNumina(bare),
      inputError(/numina-null-bare\.parquet row 2: field "problem" must be a non-empty string/),
    );
  });
});

describe("L4: a system message after the first one", () => {
  it("says a system message is only allowed first", async () => {
    const path = file(
      "own-sys.jsonl",
      `${JSON.stringify({
        id: "m",
        messages: [
          { role: "user", content: "Hi" },
          { role: "system", content: "late" },
        ],
      })}\n`,
    );
    await assert.rejects(
      loadPromptJsonl(path),
      inputError(/own-sys\.jsonl:1 messages\[1\]: a system message is only allowed as the first message$/),
    );
    const first = file(
      "own-sys-first.jsonl",
      `${JSON.stringify({
        id: "m",
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "Hi" },
        ],
      })}\n`,
    );
    assert.equal((await loadPromptJsonl(first)).prompts[0]!.system, "Be brief.");
  });
});
