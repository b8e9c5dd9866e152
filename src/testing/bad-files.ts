/**
 * Property-based fuzzing of every file importer and the config loader (issue 6, "bad files"): each
 * importer gets arbitrary bytes, truncated valid files, wrong field types, deep nesting, huge strings,
 * BOMs, CRLF and invalid UTF-8. An importer passes an input when it returns, or throws an InputError
 * whose one-line message names the file (and is not a dump of the input), within a time limit.
 * Used by `importers.fuzz.test.ts` (a few hundred runs each) and `scripts/soak/bad-files.ts` (many more).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { Worker } from "node:worker_threads";
import fc from "fast-check";
import { parquetWriteBuffer } from "hyparquet-writer";
import { stringify as toYaml } from "yaml";
import { exampleConfigText } from "../config/example.ts";
import { loadConfig } from "../config/load.ts";
import { loadAlpacaEvalCorpus } from "../corpus/alpacaeval.ts";
import { readLee2025 } from "../corpus/lee2025.ts";
import { readCsvRecords } from "../corpus/lee2025-csv.ts";
import { readIceJsonl, readPromptsById } from "../corpus/lee2025-jsonl.ts";
import { loadTranscriptsCorpus } from "../corpus/transcripts-corpus.ts";
import { readPromptFile } from "../engine/prompts.ts";
import { InputError } from "../errors.ts";
import { createReplayModel, loadReplayAnswers } from "../models/replay.ts";
import { loadPromptSet } from "../probes/prompt-sets/load.ts";
import { openStore, type Store } from "../store/store.ts";
import { importTranscripts } from "../store/transcripts.ts";

/** One importer under test: a valid example file and how to read a file with it. */
export interface Importer {
  name: string;
  /** File name the input is written under (extension matters to some loaders). */
  fileName: string;
  valid: () => Uint8Array;
  /** Reads `file` (inside its own fresh folder `folder`); throws what the importer throws. */
  read: (file: string, folder: string) => Promise<unknown>;
  /** Line-oriented formats get line-level mutations (wrong types per line). */
  lines: boolean;
}

const encoder = new TextEncoder();
const text = (value: string): Uint8Array => encoder.encode(value);
const jsonl = (rows: unknown[]): Uint8Array => text(`${rows.map((row) => JSON.stringify(row)).join("\n")}\n`);

async function drain<T>(rows: AsyncIterable<T>): Promise<number> {
  let count = 0;
  for await (const _ of rows) count++;
  return count;
}

const transcriptRow = (id: string, model: string, response: string) => ({
  id,
  sample: 0,
  model,
  messages: [{ role: "user", content: `prompt ${id}` }],
  response,
  usage: { inputTokens: 3, outputTokens: 5 },
  latencyMs: 7,
  cached: false,
});

/** Every importer and loader the tool has for files a user hands it. */
export function importers(store: Store): Importer[] {
  return [
    {
      name: "transcripts import (store)",
      fileName: "transcripts.jsonl",
      lines: true,
      valid: () => jsonl([transcriptRow("a", "openai:x", "hi"), transcriptRow("b", "openai:x", "ho")]),
      read: (file) => importTranscripts(store, file),
    },
    {
      name: "transcripts corpus (lineage)",
      fileName: "a.jsonl",
      lines: true,
      valid: () => jsonl([transcriptRow("p1", "model-a", "one"), transcriptRow("p2", "model-a", "two")]),
      read: async (_file, folder) => {
        writeFileSync(
          join(folder, "b.jsonl"),
          jsonl([transcriptRow("p1", "model-b", "uno"), transcriptRow("p2", "model-b", "dos")]),
        );
        return loadTranscriptsCorpus(folder);
      },
    },
    {
      name: "lee2025 attack_result jsonl",
      fileName: "attack.jsonl",
      lines: true,
      valid: () =>
        jsonl([
          { jailbreak_prompt: "Be a pirate. {query}", query: "Who made you?", target_responses: ["Arr"] },
          { jailbreak_prompt: "t", query: "q", target_responses: [], eval_results: [true] },
        ]),
      read: (file) => drain(readLee2025(file)),
    },
    {
      name: "lee2025 score csv",
      fileName: "scores.csv",
      lines: true,
      valid: () =>
        text('jailbreak_prompt,query,re_judge\n"t {query}",q,True\r\n"multi\nline ""x""",q2,False\n'),
      read: async (file) => readCsvRecords(file),
    },
    {
      name: "our ICE jsonl",
      fileName: "ice.jsonl",
      lines: true,
      valid: () =>
        jsonl([
          { id: "a", template: "As a pirate: {query}", query: "Who made you?", response: "Arr" },
          { messages: [{ role: "user", content: "Hi?" }], response: "x" },
        ]),
      read: (file) => drain(readIceJsonl(file)),
    },
    {
      name: "ICE prompts by id",
      fileName: "ice-prompts.jsonl",
      lines: true,
      valid: () =>
        jsonl([
          { id: "p1", prompt: "Who built you?" },
          { id: 2, messages: [{ role: "user", content: "Hi?" }] },
        ]),
      read: (file) => readPromptsById(file),
    },
    {
      name: "AlpacaEval folder",
      fileName: join("model-a", "model_outputs.json"),
      lines: false,
      valid: () => text(JSON.stringify([{ instruction: "Say hi", output: "Hi", generator: "a" }])),
      read: async (_file, folder) => {
        mkdirSync(join(folder, "model-b"), { recursive: true });
        writeFileSync(
          join(folder, "model-b", "model_outputs.json"),
          JSON.stringify([{ instruction: "Say hi", output: "Hello" }]),
        );
        return loadAlpacaEvalCorpus(folder);
      },
    },
    {
      name: "RSE prompts jsonl",
      fileName: "prompts.jsonl",
      lines: true,
      valid: () =>
        jsonl([
          { id: "q1", prompt: "What is 2+2?" },
          { id: "q2", messages: [{ role: "user", content: "Hi" }] },
        ]),
      read: (file) => loadPromptSet(`jsonl:${file}`),
    },
    {
      name: "RSE arena-hard",
      fileName: "arena.jsonl",
      lines: true,
      valid: () =>
        jsonl([
          { question_id: "1", category: "c", turns: [{ content: "Write a poem" }] },
          { uid: "2", prompt: "Sort a list" },
        ]),
      read: (file) => loadPromptSet(`arena-hard:${file}`),
    },
    {
      name: "RSE numina jsonl",
      fileName: "numina.jsonl",
      lines: true,
      valid: () =>
        jsonl([
          { problem: "Find x if 2x = 6.", solution: "3", source: "amc" },
          { messages: [{ role: "user", content: "1+1?" }] },
        ]),
      read: (file) => loadPromptSet(`numina:${file}`),
    },
    {
      name: "RSE numina parquet",
      fileName: "numina.parquet",
      lines: false,
      valid: () =>
        new Uint8Array(
          parquetWriteBuffer({
            columnData: [
              { name: "source", data: ["olympiads", "amc"], type: "STRING" },
              { name: "problem", data: ["Find x if 2x = 6.", "Primes below 20?"], type: "STRING" },
            ],
          }),
        ),
      read: (file) => loadPromptSet(`numina:${file}`),
    },
    {
      name: "RSE sharegpt",
      fileName: "sharegpt.json",
      lines: false,
      valid: () =>
        text(
          JSON.stringify(
            [
              {
                id: "c1",
                conversations: [
                  { from: "human", value: "Hi" },
                  { from: "gpt", value: "Hello" },
                ],
              },
            ],
            null,
            1,
          ),
        ),
      read: (file) => loadPromptSet(`sharegpt:${file}`),
    },
    {
      name: "collect prompts file",
      fileName: "collect-prompts.jsonl",
      lines: true,
      valid: () =>
        jsonl([
          { id: "q1", prompt: "Who are you?" },
          { id: "q2", system: "s", messages: [{ role: "user", content: "Hi" }] },
        ]),
      read: (file) => readPromptFile(file),
    },
    {
      name: "replay transcripts",
      fileName: "replay.jsonl",
      lines: true,
      valid: () => jsonl([transcriptRow("a", "openai:x", "hi")]),
      read: async (file) => {
        await loadReplayAnswers([file], undefined);
        const model = createReplayModel("replay:fuzz", file);
        const result = await model.generate(
          { messages: [{ role: "user", content: "prompt a" }] },
          new AbortController().signal,
        );
        if (!result.ok && !result.message.includes(basename(file)))
          throw new Error(`replay miss does not name the file: ${result.message}`);
        return result;
      },
    },
    {
      name: "config yaml",
      fileName: "distillscope.yaml",
      lines: true,
      valid: () => text(exampleConfigText()),
      read: async (file) => loadConfig(file),
    },
  ];
}

/** Byte-level damage applied to a valid file. */
const damage = (valid: Uint8Array): fc.Arbitrary<Uint8Array> =>
  fc.oneof(
    // truncated anywhere
    fc.nat({ max: valid.length }).map((cut) => valid.slice(0, cut)),
    // bytes overwritten with arbitrary ones (invalid UTF-8 included)
    fc
      .array(fc.tuple(fc.nat({ max: Math.max(0, valid.length - 1) }), fc.integer({ min: 0, max: 255 })), {
        minLength: 1,
        maxLength: 8,
      })
      .map((edits) => {
        const copy = valid.slice();
        for (const [position, byte] of edits) copy[position] = byte;
        return copy;
      }),
    // invalid UTF-8 sequences inserted
    fc
      .tuple(
        fc.nat({ max: valid.length }),
        fc.constantFrom([0xff], [0xc3], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]),
      )
      .map(([position, bytes]) =>
        concat(valid.slice(0, position), new Uint8Array(bytes), valid.slice(position)),
      ),
    // BOM, CRLF, both
    fc.constant(concat(new Uint8Array([0xef, 0xbb, 0xbf]), valid)),
    fc.constant(text(new TextDecoder().decode(valid).replace(/\n/g, "\r\n"))),
    fc.constant(
      concat(
        new Uint8Array([0xef, 0xbb, 0xbf]),
        text(new TextDecoder().decode(valid).replace(/\n/g, "\r\n")),
      ),
    ),
    // lone CR line ends, NUL bytes, UTF-16 text
    fc.constant(text(new TextDecoder().decode(valid).replace(/\n/g, "\r"))),
    fc
      .nat({ max: valid.length })
      .map((position) => concat(valid.slice(0, position), new Uint8Array([0]), valid.slice(position))),
    fc.constant(new Uint8Array(Buffer.from(`\uFEFF${new TextDecoder().decode(valid)}`, "utf16le"))),
  );

function concat(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

/** Deep nesting and huge strings: the shapes that overflow stacks or fill memory. */
const pathological = (hugeBytes: number): fc.Arbitrary<Uint8Array> =>
  fc.oneof(
    fc
      .integer({ min: 1_000, max: 200_000 })
      .map((depth) => text(`${"[".repeat(depth)}${"]".repeat(depth)}\n`)),
    fc
      .integer({ min: 1_000, max: 100_000 })
      .map((depth) => text(`${'{"a":'.repeat(depth)}1${"}".repeat(depth)}\n`)),
    fc.integer({ min: 1_000, max: 50_000 }).map((depth) => text(`${"- ".repeat(depth)}x\n`)),
    fc.integer({ min: 1_000, max: 50_000 }).map((depth) => text(`${"a:\n".repeat(1)}${"[".repeat(depth)}\n`)),
    fc
      .integer({ min: Math.floor(hugeBytes / 10), max: hugeBytes })
      .map((size) => text(`{"response": "${"x".repeat(size)}"}\n`)),
    fc.integer({ min: Math.floor(hugeBytes / 10), max: hugeBytes }).map((size) => text("y".repeat(size))),
    fc.integer({ min: 1_000, max: 50_000 }).map((count) => text("\n".repeat(count))),
    fc.constant(text("&a [*a, *a, *a]\n")),
    fc.constant(
      text(
        'a: &a ["x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n',
      ),
    ),
  );

/** Lines of a valid file with one field replaced by an arbitrary JSON value or removed. */
const wrongTypes = (valid: Uint8Array): fc.Arbitrary<Uint8Array> => {
  const lines = new TextDecoder().decode(valid).split("\n");
  const objects = lines.map((line) => {
    try {
      const value: unknown = JSON.parse(line);
      return value !== null && typeof value === "object" && !Array.isArray(value)
        ? (value as Record<string, unknown>)
        : undefined;
    } catch {
      return undefined;
    }
  });
  const indices = objects.flatMap((value, index) => (value === undefined ? [] : [index]));
  if (indices.length === 0) {
    // YAML or CSV: rewrite a document from arbitrary values under the same keys.
    return fc
      .dictionary(
        fc.constantFrom("version", "targets", "references", "probes", "budget", "output", "id", "query"),
        fc.jsonValue({ maxDepth: 4 }),
      )
      .map((value) => text(toYaml(value)));
  }
  return fc
    .tuple(
      fc.constantFrom(...indices),
      fc.nat(),
      fc.option(fc.jsonValue({ maxDepth: 4 }), { nil: undefined }),
    )
    .map(([index, keyChoice, replacement]) => {
      const record = { ...objects[index]! };
      const keys = Object.keys(record);
      const key = keys[keyChoice % keys.length]!;
      if (replacement === undefined) delete record[key];
      else record[key] = replacement;
      const copy = [...lines];
      copy[index] = JSON.stringify(record);
      return text(copy.join("\n"));
    });
};

/** All the input shapes one importer is fuzzed with. */
export function badInputs(importer: Importer, hugeBytes = 3_000_000): fc.Arbitrary<Uint8Array> {
  const valid = importer.valid();
  return fc.oneof(
    { weight: 3, arbitrary: damage(valid) },
    { weight: 2, arbitrary: wrongTypes(valid) },
    { weight: 2, arbitrary: fc.uint8Array({ maxLength: 2_000 }) },
    { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 500 }).map(text) },
    { weight: 2, arbitrary: fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 6 }).map(jsonl) },
    { weight: 1, arbitrary: pathological(hugeBytes) },
  );
}

export type Outcome = "accepted" | "input-error" | "crash" | "hang";

export interface FuzzFailure {
  importer: string;
  outcome: "crash" | "hang";
  detail: string;
  /** The first bytes of the input, hex, for reproduction. */
  inputHead: string;
}

/** Reads one input with one importer, classifying what happened. */
export async function tryInput(
  importer: Importer,
  bytes: Uint8Array,
  scratch: string,
  timeLimitMs: number,
): Promise<{ outcome: Outcome; detail: string }> {
  const folder = mkdtempSync(join(scratch, "case-"));
  const file = join(folder, importer.fileName);
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, bytes);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"hang">((resolve) => {
    timer = setTimeout(() => resolve("hang"), timeLimitMs);
  });
  try {
    const result = await Promise.race([importer.read(file, folder).then(() => "accepted" as const), timeout]);
    if (result === "hang") return { outcome: "hang", detail: `no answer within ${timeLimitMs} ms` };
    return { outcome: "accepted", detail: "" };
  } catch (error) {
    if (!(error instanceof InputError))
      return {
        outcome: "crash",
        detail: `${(error as Error)?.name}: ${String((error as Error)?.message).slice(0, 300)}`,
      };
    const message = error.message;
    const named = message.includes(basename(file)) || message.includes(folder);
    if (!named)
      return { outcome: "crash", detail: `InputError without the file name: ${message.slice(0, 300)}` };
    if (message.length > 2_000 || message.includes("\n"))
      return { outcome: "crash", detail: `InputError is not one short line (${message.length} chars)` };
    return { outcome: "input-error", detail: message };
  } finally {
    clearTimeout(timer);
    rmSync(folder, { recursive: true, force: true });
  }
}

export interface FuzzSummary {
  inputs: number;
  accepted: number;
  inputErrors: number;
  failures: FuzzFailure[];
  byImporter: Record<string, number>;
}

interface WorkerAnswer {
  outcome: Outcome;
  detail: string;
}

/**
 * A worker thread that reads inputs with the importers; a hang (even a synchronous loop) is caught by
 * terminating the worker after the time limit, and a fresh worker takes over.
 */
class FuzzWorker {
  #worker: Worker | undefined;
  readonly #scratch: string;
  constructor(scratch: string) {
    this.#scratch = scratch;
  }
  #start(): Worker {
    this.#worker ??= new Worker(new URL("./bad-files-worker.ts", import.meta.url), {
      workerData: { scratch: this.#scratch },
    });
    return this.#worker;
  }
  async run(importer: string, bytes: Uint8Array, timeLimitMs: number): Promise<WorkerAnswer> {
    const worker = this.#start();
    let timer: NodeJS.Timeout | undefined;
    const answer = new Promise<WorkerAnswer>((resolve) => {
      const onMessage = (message: WorkerAnswer) => {
        cleanup();
        resolve(message);
      };
      const onError = (error: Error) => {
        cleanup();
        this.#worker = undefined;
        resolve({ outcome: "crash", detail: `worker died: ${error.message.slice(0, 300)}` });
      };
      const cleanup = () => {
        clearTimeout(timer);
        worker.off("message", onMessage);
        worker.off("error", onError);
      };
      worker.on("message", onMessage);
      worker.on("error", onError);
      timer = setTimeout(() => {
        cleanup();
        this.#worker = undefined;
        void worker.terminate();
        resolve({ outcome: "hang", detail: `no answer within ${timeLimitMs} ms` });
      }, timeLimitMs);
    });
    worker.postMessage({ importer, bytes });
    return answer;
  }
  async close(): Promise<void> {
    await this.#worker?.terminate();
    this.#worker = undefined;
  }
}

/** Fuzzes every importer with `runsEach` inputs (each in a worker, under a time limit); never throws. */
export async function fuzzImporters(options: {
  runsEach: number;
  seed: number;
  timeLimitMs: number;
  /** Largest "huge string" input (default 3 MB). */
  hugeBytes?: number;
  only?: (name: string) => boolean;
  /** Inputs read by every selected importer on top of the generated ones. */
  extraInputs?: Uint8Array[];
  /** Called after each importer with its name, input count and milliseconds taken. */
  progress?: (name: string, inputs: number, milliseconds: number) => void;
}): Promise<FuzzSummary> {
  const scratch = mkdtempSync(join(tmpdir(), "distillscope-fuzz-"));
  const worker = new FuzzWorker(scratch);
  const summary: FuzzSummary = { inputs: 0, accepted: 0, inputErrors: 0, failures: [], byImporter: {} };
  const store = openStore(join(scratch, "list-only"));
  const list = importers(store);
  store.close();
  try {
    for (const importer of list) {
      if (options.only && !options.only(importer.name)) continue;
      const started = Date.now();
      const samples = [
        ...(options.runsEach > 0
          ? fc.sample(badInputs(importer, options.hugeBytes), {
              numRuns: options.runsEach,
              seed: options.seed,
            })
          : []),
        ...(options.extraInputs ?? []),
      ];
      // The valid file itself must load.
      const validResult = await worker.run(importer.name, importer.valid(), options.timeLimitMs);
      if (validResult.outcome !== "accepted")
        summary.failures.push({
          importer: importer.name,
          outcome: "crash",
          detail: `the valid example failed: ${validResult.detail}`,
          inputHead: "",
        });
      for (const bytes of samples) {
        const { outcome, detail } = await worker.run(importer.name, bytes, options.timeLimitMs);
        summary.inputs++;
        summary.byImporter[importer.name] = (summary.byImporter[importer.name] ?? 0) + 1;
        if (outcome === "accepted") summary.accepted++;
        else if (outcome === "input-error") summary.inputErrors++;
        else
          summary.failures.push({
            importer: importer.name,
            outcome,
            detail,
            inputHead: Buffer.from(bytes.slice(0, 80)).toString("hex"),
          });
      }
      options.progress?.(importer.name, samples.length, Date.now() - started);
    }
  } finally {
    await worker.close();
    rmSync(scratch, { recursive: true, force: true });
  }
  return summary;
}
