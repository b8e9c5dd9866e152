/**
 * Shared parts of the soak scripts and their fast tests: the answer the soak servers give (a function of
 * the model and the prompt, so every stored or written answer can be checked), prompt files, a read of a
 * store file after a run (integrity, duplicates, cache consistency), and a memory sampler.
 */
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { ChatMessage } from "../../src/models/types.ts";
import { openStore } from "../../src/store/store.ts";
import { promptKey } from "../../src/testing/mock-provider-server.ts";

export { promptKey };

/** The soak servers' answer to `messages` sent to `model` (a model name without the provider prefix). */
export function soakAnswer(model: string, messages: readonly ChatMessage[]): string {
  const text = messages.map((message) => `${message.role}:${message.content}`).join("\n");
  return `soak answer of ${model}: ${createHash("sha256").update(`${model}\n${text}`).digest("hex").slice(0, 24)}`;
}

export function soakPromptText(index: number): string {
  return `soak prompt ${index}: describe case ${index} briefly.`;
}

/** Writes the prompts with the given indexes as a prompt JSONL file (ids `p<index>`). */
export function writeSoakPrompts(path: string, indexes: Iterable<number>): void {
  const lines: string[] = [];
  for (const index of indexes) lines.push(JSON.stringify({ id: `p${index}`, prompt: soakPromptText(index) }));
  writeFileSync(path, `${lines.join("\n")}\n`);
}

export function range(start: number, end: number): number[] {
  return Array.from({ length: end - start }, (_, offset) => start + offset);
}

/** What a store file holds after a run, read through the public store API and plain SQL. */
export interface StoreInspection {
  integrity: string;
  answerRows: number;
  distinctAnswerKeys: number;
  cacheRows: number;
  /** Cache rows pointing at no answer, or at an answer stored under another key. */
  cacheDangling: number;
  /** Server prompt keys (promptKey(model, messages)) of the answers the cache serves. */
  cachedPrompts: Set<string>;
  /** Answers the cache serves whose text is not the server's answer to their prompt. */
  wrongAnswers: number;
}

/** Opens the store under `home` the way the CLI does, then checks it. Throws if it cannot be opened. */
export function inspectStore(
  home: string,
  answerOf: (model: string, messages: readonly ChatMessage[]) => string = soakAnswer,
): StoreInspection {
  const store = openStore(home);
  let integrity: string;
  const cachedPrompts = new Set<string>();
  let wrongAnswers = 0;
  try {
    integrity = store.integrityCheck();
    for (const answer of store.answers()) {
      const model = answer.model.slice(answer.model.indexOf(":") + 1);
      cachedPrompts.add(promptKey(model, answer.messages));
      if (answer.response !== answerOf(model, answer.messages)) wrongAnswers++;
    }
  } finally {
    store.close();
  }
  const database = new DatabaseSync(join(home, "distillscope.sqlite"), { readOnly: true });
  try {
    const number = (sql: string): number => Number(database.prepare(sql).get()?.n ?? 0);
    return {
      integrity,
      answerRows: number("SELECT count(*) AS n FROM answers"),
      distinctAnswerKeys: number("SELECT count(DISTINCT cache_key) AS n FROM answers"),
      cacheRows: number("SELECT count(*) AS n FROM cache"),
      cacheDangling: number(
        "SELECT count(*) AS n FROM cache LEFT JOIN answers ON answers.id = cache.answer_id WHERE answers.id IS NULL OR answers.cache_key <> cache.cache_key",
      ),
      cachedPrompts,
      wrongAnswers,
    };
  } finally {
    database.close();
  }
}

/** Samples RSS and heap once a second (and on demand); peak and the heap after a full GC at start/end. */
export class MemorySampler {
  peakRssBytes = 0;
  peakHeapBytes = 0;
  samples = 0;
  readonly #timer: NodeJS.Timeout;

  constructor(intervalMs = 1000) {
    this.sample();
    this.#timer = setInterval(() => this.sample(), intervalMs);
    this.#timer.unref();
  }

  sample(): void {
    const usage = process.memoryUsage();
    this.peakRssBytes = Math.max(this.peakRssBytes, usage.rss);
    this.peakHeapBytes = Math.max(this.peakHeapBytes, usage.heapUsed);
    this.samples++;
  }

  stop(): void {
    clearInterval(this.#timer);
    this.sample();
  }
}

/** Heap in use after a full garbage collection (needs --expose-gc; undefined without it). */
export function heapAfterGc(): number | undefined {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) return undefined;
  collect();
  collect();
  return process.memoryUsage().heapUsed;
}

export function megabytes(bytes: number | undefined): string {
  return bytes === undefined ? "n/a" : (bytes / 1024 / 1024).toFixed(1);
}

/** Counts the values that occur more than once. */
export function duplicates(values: Iterable<string>): number {
  const seen = new Set<string>();
  let repeated = 0;
  for (const value of values) {
    if (seen.has(value)) repeated++;
    else seen.add(value);
  }
  return repeated;
}

/** "20000" -> "20,000". */
export function thousands(value: number): string {
  return value.toLocaleString("en-US");
}
