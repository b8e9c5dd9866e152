import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { InputError } from "../errors.ts";
import { openStore } from "./store.ts";
import { exportTranscripts, importTranscripts, parseTranscriptLine } from "./transcripts.ts";

const scratch = mkdtempSync(join(tmpdir(), "distillscope-transcripts-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

const line = (id: string): string =>
  JSON.stringify({ id, model: "openai:m", messages: [{ role: "user", content: `q ${id}` }], response: id });

test("a line that is JSON but not an object says so, not zod's wording", () => {
  for (const text of ["[1,2]", '"text"', "3", "null"]) {
    assert.throws(
      () => parseTranscriptLine(text, "t.jsonl", 7),
      (error: unknown) =>
        error instanceof InputError &&
        error.message === "t.jsonl:7: not a JSON object; each line must be one JSON object",
      text,
    );
  }
});

test("a bad line after good ones: the message says the lines before it are stored and a re-import skips them", async () => {
  const file = join(scratch, "middle.jsonl");
  writeFileSync(file, `${line("a")}\n${line("b")}\n{"id": broken\n${line("c")}\n`);
  const store = openStore(join(scratch, "middle-home"));
  try {
    await assert.rejects(
      importTranscripts(store, file),
      (error: unknown) =>
        error instanceof InputError &&
        error.message ===
          "middle.jsonl:3: not valid JSON; each line must be one JSON object (the 2 lines before it are in the store; importing the fixed file skips them)",
    );
    const exported: string[] = [];
    const sink = { write: (text: string) => exported.push(text) > 0 } as unknown as NodeJS.WritableStream;
    assert.equal(await exportTranscripts(store, sink), 2);
    // A bad first line stores nothing, and the message does not claim otherwise.
    writeFileSync(file, `[]\n${line("a")}\n`);
    await assert.rejects(importTranscripts(store, file), (error: unknown) => {
      assert.equal(
        (error as Error).message,
        "middle.jsonl:1: not a JSON object; each line must be one JSON object",
      );
      return true;
    });
  } finally {
    store.close();
  }
});

test("a folder given as the transcripts file says so, for import and for ice judge's reader", async () => {
  const store = openStore(join(scratch, "folder-home"));
  try {
    await assert.rejects(
      importTranscripts(store, scratch),
      (error: unknown) =>
        error instanceof InputError &&
        /: a folder, not a file; pass one transcripts file$/.test(error.message),
    );
  } finally {
    store.close();
  }
  const { readJsonLines } = await import("../corpus/lee2025.ts");
  await assert.rejects(
    (async () => {
      for await (const _row of readJsonLines(scratch));
    })(),
    (error: unknown) =>
      error instanceof InputError &&
      error.message === `${scratch}: a folder, not a file; pass one transcripts file`,
  );
});

test("a missing store, output or input file is an InputError, and nothing is written", async () => {
  const store = openStore(join(scratch, "shape-home"));
  const input = join(scratch, "shape.jsonl");
  writeFileSync(input, `${line("s1")}\n`);
  const rejects = (promise: Promise<unknown>, message: string) =>
    assert.rejects(promise, (error: unknown) => error instanceof InputError && error.message === message);
  try {
    await importTranscripts(store, input);
    // With answers stored, an output of nothing used to fail inside the line writer.
    await rejects(
      exportTranscripts(store, undefined as never),
      "the transcripts output must be a file path or a writable stream, got nothing",
    );
    await rejects(
      exportTranscripts(undefined as never, join(scratch, "shape-out.jsonl")),
      'store must be a Store, e.g. openStore(".distillscope")',
    );
    await rejects(
      importTranscripts(store, undefined as never),
      "the transcripts file must be a path, got nothing",
    );
    await rejects(
      importTranscripts({} as never, input),
      'store must be a Store, e.g. openStore(".distillscope")',
    );
    assert.equal(existsSync(join(scratch, "shape-out.jsonl")), false);
  } finally {
    store.close();
  }
});
