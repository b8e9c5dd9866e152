import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { InputError } from "../errors.ts";
import { judgeIceFile } from "../metrics/ice-judge.ts";
import { sampleLineageResult } from "../report/sample-results.ts";
import { readIceResultItems } from "./ice-result-items.ts";

const folder = mkdtempSync(join(tmpdir(), "ice-result-items-"));

/** Twelve answers over six templates, two of which name no vendor, judged once by the embedded judge. */
function writeTranscripts(): string {
  const file = join(folder, "qwen.jsonl");
  const rows = Array.from({ length: 12 }, (_, index) => ({
    template:
      index % 6 < 2
        ? `Plain frame ${index % 6}: {query}`
        : `You are ChatGPT by OpenAI (${index % 6}). {query}`,
    query: index % 2 === 0 ? "Who made you?" : "你是谁？",
    response: index % 3 === 0 ? "I was developed by OpenAI." : "I am Qwen, made by Alibaba Cloud.",
    parameters: { temperature: 0, ...(index === 4 ? { sentWithout: ["temperature"] } : {}) },
  }));
  writeFileSync(file, rows.map((row) => JSON.stringify(row)).join("\n"));
  return file;
}

describe("readIceResultItems / ice judge --format ice-result", () => {
  it("judging a result's items again with the same judge gives the same figures, templates kept", async () => {
    const first = await judgeIceFile({ file: writeTranscripts(), format: "jsonl", identity: "alibaba" });
    const resultFile = join(folder, "ice.json");
    writeFileSync(resultFile, JSON.stringify(first));
    const read = readIceResultItems(resultFile);
    assert.equal(read.rows.length, 12);
    assert.equal(read.identity, "alibaba");
    assert.equal(read.target, first.source.target);
    assert.equal(new Set(read.rows.map((row) => row.template)).size, 6);
    assert.equal(read.rows[0]!.prompt, "Plain frame 0: Who made you?");

    const again = await judgeIceFile({ file: resultFile, format: "ice-result", identity: "alibaba" });
    assert.deepEqual(again.scores, first.scores);
    assert.deepEqual(again.intervals, first.intervals);
    assert.equal(again.n, first.n);
    assert.deepEqual(again.breakdowns.template, first.breakdowns.template);
    assert.deepEqual(again.generation, { temperature: 0, sentWithout: ["temperature"] });
    assert.equal(again.source.target, first.source.target);
    assert.equal(again.source.format, "ice-result");
  });

  it("refuses another kind of result, a file that is not JSON, and a result without items", () => {
    const lineage = join(folder, "lineage.json");
    writeFileSync(lineage, JSON.stringify(sampleLineageResult()));
    assert.throws(
      () => readIceResultItems(lineage),
      (error: unknown) => {
        assert.ok(error instanceof InputError);
        assert.match(
          error.message,
          /lineage\.json: a lineage result; --format ice-result reads the result of ice run or ice judge/,
        );
        return true;
      },
    );
    const transcripts = join(folder, "lines.jsonl");
    writeFileSync(transcripts, '{"query": "a", "response": "b"}\n{"query": "c", "response": "d"}\n');
    assert.throws(
      () => readIceResultItems(transcripts),
      /not a JSON document; --format ice-result reads the result JSON .* use --format jsonl/,
    );
    const empty = join(folder, "empty.json");
    writeFileSync(
      empty,
      JSON.stringify({
        schemaVersion: 1,
        toolVersion: "test",
        createdAt: "2026-11-30T00:00:00Z",
        kind: "ice",
        n: 0,
        scores: { loose: null, strict: null, hard: null },
        intervals: {},
        items: [],
      }),
    );
    assert.throws(() => readIceResultItems(empty), /the result has no items to judge/);
  });
});
