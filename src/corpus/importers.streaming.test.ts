/**
 * Streaming, not loading whole (issue 6, bad files): our JSONL importers read line by line, name the
 * exact line of a bad record deep in a large file, and read a file several times larger than the heap
 * they are allowed (a child process with a small --max-old-space-size). The million-line and 50 MB
 * answer runs are `node scripts/soak/bad-files-large.ts`.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { InputError } from "../errors.ts";
import { loadReplayAnswers } from "../models/replay.ts";
import { openStore } from "../store/store.ts";
import { importTranscripts } from "../store/transcripts.ts";
import { readLee2025 } from "./lee2025.ts";
import { readIceJsonl } from "./lee2025-jsonl.ts";
import { readLinesSync } from "./read-lines-sync.ts";
import { loadTranscriptsCorpus } from "./transcripts-corpus.ts";

const folder = mkdtempSync(join(tmpdir(), "distillscope-streaming-"));
after(() => rmSync(folder, { recursive: true, force: true }));

const childScript = join(import.meta.dirname, "..", "testing", "read-large-child.ts");

/** One line valid for every JSONL importer here (transcript, lee2025 and ICE fields together). */
function line(index: number, model: string, padding = ""): string {
  return JSON.stringify({
    id: `p${index}`,
    sample: 0,
    model,
    messages: [{ role: "user", content: `prompt ${index}` }],
    response: `answer ${index}`,
    query: `prompt ${index}`,
    jailbreak_prompt: "{query}",
    target_responses: [`answer ${index}`],
    ...(padding === "" ? {} : { padding }),
  });
}

async function writeLines(file: string, count: number, make: (index: number) => string): Promise<void> {
  const stream = createWriteStream(file);
  for (let index = 0; index < count; index++) {
    if (!stream.write(`${make(index)}\n`))
      await new Promise<void>((done) => stream.once("drain", () => done()));
  }
  await new Promise<void>((done, reject) =>
    stream.end((error?: Error | null) => (error ? reject(error) : done())),
  );
}

async function drain<T>(rows: AsyncIterable<T>): Promise<number> {
  let count = 0;
  for await (const _ of rows) count++;
  return count;
}

describe("line-by-line reader", () => {
  it("keeps characters split across chunks, CRLF, a BOM and a last line without newline", () => {
    const file = join(folder, "chunks.jsonl");
    const long = `${"a".repeat((1 << 20) - 1)}é€😀`; // the multi-byte characters straddle the 1 MiB chunk edge
    writeFileSync(file, `\uFEFFfirst\r\n\r\n${long}\nlast`);
    assert.deepEqual(
      [...readLinesSync(file)].map(([number, text]) => [number, text.length > 20 ? text.slice(-5) : text]),
      [
        [1, "first"],
        [2, ""],
        [3, "aé€😀"],
        [4, "last"],
      ],
    );
  });
  it("names a missing file", () => {
    assert.throws(() => [...readLinesSync(join(folder, "absent.jsonl"))], /absent\.jsonl: cannot read/);
  });
});

describe("a bad line deep in a 100,000-line file is named by its number", () => {
  const badLine = 87_654;
  const file = join(folder, "large-bad.jsonl");
  const ready = writeLines(file, 100_000, (index) =>
    index + 1 === badLine ? '{"id": "cut", "model": "m", "respo' : line(index, "m"),
  );
  const named = (error: unknown) => error instanceof InputError && error.message.includes(`:${badLine}:`);

  it("transcripts import (store)", async () => {
    await ready;
    const store = openStore(join(folder, "home"));
    try {
      await assert.rejects(importTranscripts(store, file), named);
    } finally {
      store.close();
    }
  });
  it("lee2025 attack_result and our ICE JSONL", async () => {
    await ready;
    await assert.rejects(drain(readLee2025(file)), named);
    await assert.rejects(drain(readIceJsonl(file)), named);
  });
  it("transcripts corpus", async () => {
    await ready;
    const directory = join(folder, "corpus");
    mkdirSync(directory);
    await writeLines(join(directory, "a.jsonl"), 10, (index) => line(index, "other"));
    await writeLines(join(directory, "b.jsonl"), 100_000, (index) =>
      index + 1 === badLine ? "{not json" : line(index, "m"),
    );
    assert.throws(() => loadTranscriptsCorpus(directory), named);
  });
  it("replay skips the cut line, counts it and says where it was", async () => {
    await ready;
    const loaded = await loadReplayAnswers([file], undefined);
    assert.equal(loaded.answers.size, 99_999);
    assert.equal(loaded.malformedLines, 1);
    assert.equal(loaded.firstMalformed, `${file}:${badLine}`);
  });
});

describe("files larger than the heap they may use are read", { timeout: 120_000 }, () => {
  // 100,000 lines of ~600 bytes (about 60 MB) read by a child allowed a 40 MB old space.
  const file = join(folder, "large-padded.jsonl");
  const ready = writeLines(file, 100_000, (index) => line(index, "m", "x".repeat(400)));
  const heapMegabytes = 40;
  const runChild = (importer: string, path: string) => {
    const child = spawnSync(
      process.execPath,
      [`--max-old-space-size=${heapMegabytes}`, childScript, importer, path],
      {
        encoding: "utf8",
        timeout: 100_000,
      },
    );
    assert.equal(child.status, 0, `${importer}: ${child.stdout} ${child.stderr.slice(-500)}`);
    return JSON.parse(child.stdout.trim().split("\n").at(-1)!) as { rows: number; peakRssBytes: number };
  };
  for (const importer of ["lee2025", "store-import"]) {
    it(importer, async () => {
      await ready;
      assert.ok(statSync(file).size > heapMegabytes * 1.4 * 1e6, "the file is larger than the heap");
      const result = runChild(importer, file);
      assert.equal(result.rows, 100_000);
    });
  }
  it("transcripts corpus (keeps only ids and answers)", async () => {
    await ready;
    const directory = join(folder, "padded-corpus");
    mkdirSync(directory);
    await writeLines(join(directory, "a.jsonl"), 100_000, (index) => line(index, "a", "x".repeat(400)));
    await writeLines(join(directory, "b.jsonl"), 100_000, (index) => line(index, "b", "x".repeat(400)));
    assert.equal(runChild("transcripts-corpus", directory).rows, 100_000);
  });
});
