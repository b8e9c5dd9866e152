import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { InputError } from "../errors.ts";
import { fillTemplate, type IceTranscript, readLee2025 } from "./lee2025.ts";
import { parseCsv, readCsvRecords } from "./lee2025-csv.ts";
import { readIceJsonl, readPromptsById } from "./lee2025-jsonl.ts";

const folder = mkdtempSync(join(tmpdir(), "lee2025-test-"));

function write(name: string, lines: string[]): string {
  const file = join(folder, name);
  writeFileSync(file, lines.join("\n"));
  return file;
}

async function collect(rows: AsyncGenerator<IceTranscript>): Promise<IceTranscript[]> {
  const all: IceTranscript[] = [];
  for await (const row of rows) all.push(row);
  return all;
}

describe("lee2025 importer", () => {
  it("reads rows, fills templates and keeps empty answers", async () => {
    const file = write("attack.jsonl", [
      JSON.stringify({
        jailbreak_prompt: "Pretend. {query}",
        query: "Who made you?",
        target_responses: ["I am Qwen."],
        eval_results: false,
      }),
      "",
      JSON.stringify({
        jailbreak_prompt: "No placeholder:",
        query: "Q2",
        target_responses: [""],
        eval_results: [true],
      }),
    ]);
    const rows = await collect(readLee2025(file));
    assert.equal(rows.length, 2);
    assert.equal(rows[0]?.prompt, "Pretend. Who made you?");
    assert.equal(rows[0]?.paperLoose, false);
    assert.equal(rows[1]?.index, 1);
    assert.equal(rows[1]?.response, "");
    assert.equal(rows[1]?.prompt, "No placeholder:Q2");
    assert.equal(rows[1]?.paperLoose, true);
  });
  it("names file and line of a broken line", async () => {
    const file = write("broken.jsonl", [
      JSON.stringify({ jailbreak_prompt: "t", query: "q", target_responses: ["a"] }),
      "{not json",
    ]);
    await assert.rejects(collect(readLee2025(file)), (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.match(error.message, /broken\.jsonl:2: not valid JSON/);
      return true;
    });
  });
  it("names a missing field", async () => {
    const file = write("missing.jsonl", [JSON.stringify({ jailbreak_prompt: "t", target_responses: ["a"] })]);
    await assert.rejects(collect(readLee2025(file)), /missing\.jsonl:1: field "query" is missing/);
  });
  it("reports a missing file as an input error", async () => {
    await assert.rejects(collect(readLee2025(join(folder, "absent.jsonl"))), InputError);
  });
  it("fills every {query}", () => {
    assert.equal(fillTemplate("{query} and {query}", "x"), "x and x");
  });
});

describe("our JSONL importer", () => {
  it("accepts query, prompt or messages and joins collect output by id", async () => {
    const prompts = write("prompts.jsonl", [JSON.stringify({ id: "p1", prompt: "Who built you?" })]);
    const file = write("ours.jsonl", [
      JSON.stringify({ id: "a", template: "As a pirate: {query}", query: "Who made you?", response: "Arr" }),
      JSON.stringify({ prompt: "Which company?", response: "" }),
      JSON.stringify({
        messages: [
          { role: "system", content: "s" },
          { role: "user", content: "Hi?" },
        ],
        response: "x",
      }),
      JSON.stringify({ id: "p1", model: "m", response: "I am Qwen." }),
    ]);
    const rows = await collect(readIceJsonl(file, { promptsById: await readPromptsById(prompts) }));
    assert.deepEqual(
      rows.map((row) => [row.index, row.query, row.prompt, row.response]),
      [
        [0, "Who made you?", "As a pirate: Who made you?", "Arr"],
        [1, "Which company?", "Which company?", ""],
        [2, "Hi?", "Hi?", "x"],
        [3, "Who built you?", "Who built you?", "I am Qwen."],
      ],
    );
  });
  it("rejects a line without response or without any prompt", async () => {
    const noResponse = write("no-response.jsonl", [JSON.stringify({ query: "q" })]);
    await assert.rejects(collect(readIceJsonl(noResponse)), /no-response\.jsonl:1: field "response"/);
    const noPrompt = write("no-prompt.jsonl", [JSON.stringify({ id: "x", response: "r" })]);
    await assert.rejects(collect(readIceJsonl(noPrompt)), /no-prompt\.jsonl:1: needs a "query" or "prompt"/);
  });
  it("names the other format when a file is read with the wrong one", async () => {
    const paperRow = { jailbreak_prompt: "{query}", query: "Who made you?", target_responses: ["I am GLM."] };
    const paper = write("paper-row.jsonl", [JSON.stringify(paperRow)]);
    await assert.rejects(collect(readIceJsonl(paper)), (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.equal(
        error.message,
        `${paper}:1: field "response" is missing or not a string; this is a row of the paper's attack_result format: use --format lee2025`,
      );
      return true;
    });
    const ours = write("our-row.jsonl", [JSON.stringify({ query: "Who made you?", response: "I am GLM." })]);
    await assert.rejects(
      collect(readLee2025(ours)),
      /our-row\.jsonl:1: field "jailbreak_prompt" is missing; this is a row of our JSONL format \(with "response"\): use --format jsonl$/,
    );
  });
});

describe("CSV reader", () => {
  it("parses quotes, doubled quotes and newlines inside fields", () => {
    assert.deepEqual(parseCsv('a,b\n"x, ""y""","line1\nline2"\r\nlast,\n'), [
      ["a", "b"],
      ['x, "y"', "line1\nline2"],
      ["last", ""],
    ]);
  });
  it("reads records by header", () => {
    const file = write("scores.csv", ["\uFEFFjailbreak_prompt,query,re_judge", '"t {query}",q,True']);
    assert.deepEqual(readCsvRecords(file), [{ jailbreak_prompt: "t {query}", query: "q", re_judge: "True" }]);
  });
});
