import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { after, test } from "node:test";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { InputError } from "../errors.ts";
import { cacheKey } from "./cache-key.ts";
import { schemaStatements } from "./schema.ts";
import { openStore, storeFileName } from "./store.ts";
import { exportTranscripts, importTranscripts } from "./transcripts.ts";

const scratch = mkdtempSync(join(tmpdir(), "distillscope-store-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

const messages = [{ role: "user" as const, content: "hello" }];
const keyInput = {
  provider: "openai",
  model: "m",
  endpoint: "127.0.0.1:1",
  messages,
  parameters: {},
  sample: 0,
};

test("the cache key does not depend on the order of fields nor on undefined ones", () => {
  const forward = cacheKey({ ...keyInput, parameters: { temperature: 0.5, seed: 1 } });
  const backward = cacheKey({ ...keyInput, parameters: { seed: 1, topP: undefined, temperature: 0.5 } });
  assert.equal(forward, backward);
});

test("the cache key changes with every keyed field and ignores streaming", () => {
  const base = cacheKey(keyInput);
  assert.match(base, /^[0-9a-f]{64}$/);
  assert.notEqual(cacheKey({ ...keyInput, sample: 1 }), base);
  assert.notEqual(cacheKey({ ...keyInput, endpoint: "other:1" }), base);
  assert.notEqual(cacheKey({ ...keyInput, parameters: { temperature: 0.7 } }), base);
  assert.notEqual(cacheKey({ ...keyInput, model: "n" }), base);
  assert.equal(cacheKey({ ...keyInput, parameters: { stream: true } as never }), base);
});

test("an unwritable home is an InputError naming the path", () => {
  const file = join(scratch, "a-file");
  writeFileSync(file, "x");
  const home = join(file, "home");
  assert.throws(
    () => openStore(home),
    (error: unknown) =>
      error instanceof InputError && error.message.includes(home) && /--home/.test(error.message),
  );
});

test("a home that is not a path is an InputError, not a TypeError from node:fs", () => {
  assert.throws(
    () => openStore(undefined as unknown as string),
    (error: unknown) =>
      error instanceof InputError && /^the store home must be a path, got nothing$/.test(error.message),
  );
});

test("a home that is a file (or is below one) says so, naming the file", () => {
  const file = join(scratch, "prompts.jsonl");
  writeFileSync(file, "x");
  const fix = "pass --home <writable directory> or set DISTILLSCOPE_HOME";
  assert.throws(() => openStore(file), {
    name: "InputError",
    message: `store home ${file} is a file, not a folder: ${fix}`,
  });
  assert.throws(() => openStore(join(file, "home")), {
    name: "InputError",
    message: `store home ${join(file, "home")}: ${file} is a file, not a folder: ${fix}`,
  });
});

function runWriter(home: string, tag: string, count: number): Promise<number> {
  const child = spawn(
    process.execPath,
    [join(import.meta.dirname, "concurrent-writer.ts"), home, tag, String(count)],
    {
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  return new Promise((resolve) => child.on("exit", (code) => resolve(code ?? -1)));
}

test("two processes writing one store at once leave it whole", async () => {
  const home = join(scratch, "shared");
  openStore(home).close();
  const codes = await Promise.all([runWriter(home, "left", 400), runWriter(home, "right", 400)]);
  assert.deepEqual(codes, [0, 0]);
  const store = openStore(home);
  assert.equal(store.integrityCheck(), "ok");
  const counts = store.counts();
  assert.equal(counts.answers, 800);
  assert.equal(counts.cache, 800);
  assert.equal(counts.runs, 2);
  store.close();
});

test("transcripts export and import back, and importing twice adds nothing", async () => {
  const source = openStore(join(scratch, "source"));
  for (let index = 0; index < 3; index++) {
    const itemMessages = [{ role: "user" as const, content: `q${index}` }];
    source.saveAnswer(null, cacheKey({ ...keyInput, messages: itemMessages }), {
      id: `q${index}`,
      sample: 0,
      model: index === 2 ? "other:model" : "openai:m",
      endpoint: "127.0.0.1:1",
      messages: itemMessages,
      parameters: {},
      response: `a${index}`,
      usage: { inputTokens: 1, outputTokens: 1 },
      costUsd: 0.5,
      latencyMs: 10,
      finishReason: "stop",
      attempts: 1,
    });
  }
  const file = join(scratch, "out.jsonl");
  assert.equal(await exportTranscripts(source, file, { model: "openai:m" }), 2);
  const lines = readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));
  assert.deepEqual(
    lines.map((line) => [line.id, line.response, line.messages[0].content, line.costUsd, line.finishReason]),
    [
      ["q0", "a0", "q0", 0.5, "stop"],
      ["q1", "a1", "q1", 0.5, "stop"],
    ],
  );
  const target = openStore(join(scratch, "target"));
  assert.deepEqual(await importTranscripts(target, file), { imported: 2, skipped: 0 });
  assert.deepEqual(await importTranscripts(target, file), { imported: 0, skipped: 2 });
  const key = cacheKey({ ...keyInput, messages: [{ role: "user", content: "q1" }] });
  assert.equal(target.findCached(key)?.response, "a1", "an imported line answers the same request again");
  source.close();
  target.close();
});

test("a closed store says so (InputError) instead of SQLite's finalized-statement error; closing twice is fine", async () => {
  const store = openStore(join(scratch, "closed"));
  store.startRun("warm", "openai:m", 1);
  store.close();
  store.close();
  const closed = (error: unknown) =>
    error instanceof InputError &&
    /^the store .* is closed; open it again with openStore\(home\)$/.test(error.message);
  assert.throws(() => store.startRun("again", "openai:m", 1), closed);
  assert.throws(() => store.models(), closed);
  await assert.rejects(exportTranscripts(store, join(scratch, "closed.jsonl")), closed);
});

test("a bad transcript line is an InputError naming file and line", async () => {
  const file = join(scratch, "bad.jsonl");
  writeFileSync(file, `${JSON.stringify({ id: "x", model: "a:b", messages, response: "r" })}\n{oops\n`);
  const store = openStore(join(scratch, "bad-import"));
  await assert.rejects(importTranscripts(store, file), /bad\.jsonl:2: not valid JSON/);
  store.close();
});

test("a prompts file given to transcripts import says what a transcript line needs", async () => {
  const file = join(scratch, "prompts.jsonl");
  writeFileSync(file, `${JSON.stringify({ id: "q1", prompt: "Who made you?" })}\n`);
  const store = openStore(join(scratch, "prompts-import"));
  await assert.rejects(
    importTranscripts(store, file),
    (error: unknown) =>
      error instanceof InputError &&
      !error.message.includes("\n") &&
      /prompts\.jsonl:1: field "model" is missing;/.test(error.message) &&
      /collect or transcripts export/.test(error.message),
  );
  store.close();
});

function answerFor(index: number, response: string) {
  const itemMessages = [{ role: "user" as const, content: `deferred ${index}` }];
  return {
    cacheKey: cacheKey({ ...keyInput, messages: itemMessages }),
    answer: {
      id: `d${index}`,
      sample: 0,
      model: "openai:m",
      endpoint: "127.0.0.1:1",
      messages: itemMessages,
      parameters: {},
      response,
      usage: { inputTokens: 1, outputTokens: 1 },
      latencyMs: 1,
      attempts: 1,
    },
    attempts: [],
  };
}

test("answers saved with a deferred index are found by another process that never saw them indexed", () => {
  const home = join(scratch, "deferred");
  const writer = openStore(home);
  const runId = writer.startRun("deferred", "openai:m", 3);
  writer.saveAnswers(runId, [answerFor(0, "first"), answerFor(1, "one")], { deferIndex: true });
  // The same key answered again later: the newest answer must win once indexed.
  writer.saveAnswers(runId, [answerFor(0, "second")], { deferIndex: true });
  // A second connection (as after a kill -9 of the writer) looks them up before the writer indexes.
  const reader = openStore(home);
  const found = reader.findCachedMany([answerFor(0, "").cacheKey, answerFor(1, "").cacheKey]);
  assert.equal(found.get(answerFor(0, "").cacheKey)?.response, "second");
  assert.equal(found.get(answerFor(1, "").cacheKey)?.response, "one");
  assert.deepEqual(
    [reader.counts().answers, reader.counts().cache],
    [3, 2],
    "three answer rows, one cache entry per key",
  );
  reader.close();
  writer.close();
});

test("a store written before the deferred index existed keeps every cache entry", () => {
  const home = join(scratch, "old-layout");
  const store = openStore(home);
  store.saveAnswer(null, answerFor(7, "kept").cacheKey, answerFor(7, "kept").answer);
  store.close();
  // Undo the new bookkeeping table, as an older store would be: opening marks everything indexed.
  const database = new DatabaseSync(join(home, storeFileName));
  database.exec("DROP TABLE cache_indexed");
  database.close();
  const reopened = openStore(home);
  assert.equal(reopened.findCached(answerFor(7, "").cacheKey)?.response, "kept");
  assert.equal(reopened.counts().cache, 1);
  reopened.close();
});

test("new stores number rows without AUTOINCREMENT; ids still only grow", () => {
  const home = join(scratch, "no-autoincrement");
  const store = openStore(home);
  store.saveAnswers(null, [answerFor(10, "a"), answerFor(11, "b")], { deferIndex: true });
  store.saveAnswers(null, [answerFor(12, "c")], { deferIndex: true });
  store.close();
  const database = new DatabaseSync(join(home, storeFileName));
  const answersSql = String(
    database.prepare("SELECT sql FROM sqlite_master WHERE name = 'answers'").get()?.sql ?? "",
  );
  assert.doesNotMatch(answersSql, /AUTOINCREMENT/);
  const ids = database
    .prepare("SELECT id FROM answers ORDER BY rowid")
    .all()
    .map((row) => Number(row.id));
  assert.deepEqual(ids, [1, 2, 3]);
  database.close();
});

test("a store whose tables were made with AUTOINCREMENT keeps working", () => {
  const home = join(scratch, "autoincrement-layout");
  mkdirSync(home, { recursive: true });
  const database = new DatabaseSync(join(home, storeFileName));
  for (const statement of schemaStatements)
    database.exec(
      /TABLE IF NOT EXISTS (requests|answers|errors) /.test(statement)
        ? statement.replace("id INTEGER PRIMARY KEY,", "id INTEGER PRIMARY KEY AUTOINCREMENT,")
        : statement,
    );
  database.close();
  const store = openStore(home);
  const runId = store.startRun("old layout", "openai:m", 2);
  store.saveAnswers(runId, [answerFor(20, "old one"), answerFor(21, "old two")], { deferIndex: true });
  store.saveError(runId, {
    cacheKey: answerFor(22, "").cacheKey,
    id: "d22",
    sample: 0,
    model: "openai:m",
    errorClass: "retryable",
    message: "gave up",
    attempts: 2,
  });
  assert.equal(store.findCached(answerFor(21, "").cacheKey)?.response, "old two");
  assert.deepEqual([store.counts().answers, store.counts().cache, store.counts().errors], [2, 2, 1]);
  assert.equal(store.integrityCheck(), "ok");
  store.close();
  const reader = new DatabaseSync(join(home, storeFileName));
  assert.equal(
    Number(reader.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'answers'").get()?.seq),
    2,
  );
  reader.close();
});

test("looking keys up in an empty cache finds nothing, and finds them once answers are saved", () => {
  const store = openStore(join(scratch, "empty-cache"));
  const keys = [answerFor(30, "").cacheKey, answerFor(31, "").cacheKey];
  assert.equal(store.findCachedMany(keys).size, 0);
  store.saveAnswers(null, [answerFor(30, "thirty")], { deferIndex: true });
  const found = store.findCachedMany(keys);
  assert.deepEqual([...found.keys()], [keys[0]]);
  assert.equal(found.get(keys[0]!)?.response, "thirty");
  store.close();
});

test("othersHaveWritten tells another connection's commits from this one's; findStored reads deferred answers without writing", () => {
  const home = join(scratch, "shared-store");
  const reader = openStore(home);
  const writer = openStore(home);
  const runId = reader.startRun("own", "openai:m", 1);
  reader.saveAnswers(runId, [answerFor(0, "mine")], { deferIndex: true });
  assert.equal(reader.othersHaveWritten(), false, "its own commits do not count");
  const entry = answerFor(1, "theirs");
  assert.equal(reader.findStored(entry.cacheKey), undefined);
  writer.saveAnswers(null, [entry], { deferIndex: true });
  assert.equal(reader.othersHaveWritten(), true);
  assert.equal(reader.othersHaveWritten(), true, "stays true");
  const countsBefore = reader.counts();
  assert.equal(reader.findStored(entry.cacheKey)?.response, "theirs", "found before any cache entry exists");
  assert.equal(reader.findStored(answerFor(0, "").cacheKey)?.response, "mine");
  assert.equal(reader.findStored(answerFor(7, "").cacheKey), undefined);
  assert.deepEqual(reader.counts(), countsBefore, "looking up wrote nothing (no cache entries were indexed)");
  writer.close();
  assert.equal(
    reader.findStored(entry.cacheKey)?.response,
    "theirs",
    "and after the writer indexed on close",
  );
  reader.close();
});

// The next three fail on Node 22.13 without the fallbacks of sqlite-connection.ts and close()'s own flag.

test("answers() reads every row even when the garbage collector runs mid-way (Node 22.13 lost the statement)", () => {
  setFlagsFromString("--expose-gc");
  const collectGarbage = runInNewContext("gc") as () => void;
  const store = openStore(join(scratch, "iterate-gc"));
  const entries = Array.from({ length: 300 }, (_, index) => answerFor(1000 + index, `answer ${index}`));
  store.saveAnswers(null, entries);
  let read = 0;
  for (const answer of store.answers()) {
    assert.equal(answer.response, `answer ${read}`);
    read++;
    if (read % 50 === 0) collectGarbage();
  }
  assert.equal(read, 300);
  store.close();
});

test("a write that fails mid-transaction is rolled back: the store keeps working and holds no lock", () => {
  const home = join(scratch, "failed-write");
  const store = openStore(home);
  const bad = answerFor(2000, "bad");
  // A usage that cannot be serialised throws inside the transaction, after BEGIN IMMEDIATE.
  (bad.answer.usage as Record<string, unknown>).inputTokens = 1n;
  assert.throws(() => store.saveAnswers(null, [answerFor(2001, "kept out"), bad]), /BigInt/);
  const other = new DatabaseSync(join(home, storeFileName));
  try {
    other.exec("BEGIN IMMEDIATE"); // busy timeout 0: throws at once if the failed write kept its lock
    other.exec("ROLLBACK");
  } finally {
    other.close();
  }
  store.saveAnswer(null, answerFor(2002, "").cacheKey, answerFor(2002, "after").answer);
  assert.equal(store.counts().answers, 1, "the answer written before the failure was rolled back with it");
  store.close();
});

test("close() closes the file: SQLite checkpoints and removes the WAL", () => {
  const home = join(scratch, "really-closed");
  const store = openStore(home);
  store.saveAnswer(null, answerFor(3000, "").cacheKey, answerFor(3000, "x").answer);
  assert.equal(existsSync(join(home, `${storeFileName}-wal`)), true);
  store.close();
  assert.equal(existsSync(join(home, `${storeFileName}-wal`)), false);
});
