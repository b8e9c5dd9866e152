/**
 * Child process for the streaming checks: reads one large file with one importer and prints one JSON
 * line `{importer, rows, milliseconds, peakRssBytes}` (or `{error}`). Run with a small
 * --max-old-space-size to prove a file is not loaded whole.
 * Usage: node src/testing/read-large-child.ts <importer> <file-or-folder>
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readLee2025 } from "../corpus/lee2025.ts";
import { loadTranscriptsCorpus } from "../corpus/transcripts-corpus.ts";
import { loadReplayAnswers } from "../models/replay.ts";
import { openStore } from "../store/store.ts";
import { importTranscripts } from "../store/transcripts.ts";

const [importer, path] = process.argv.slice(2);
let peak = 0;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage.rss());
}, 20);

async function read(): Promise<number> {
  if (importer === "lee2025") {
    let rows = 0;
    for await (const _ of readLee2025(path!)) rows++;
    return rows;
  }
  if (importer === "store-import") {
    const home = mkdtempSync(join(tmpdir(), "distillscope-large-store-"));
    const store = openStore(home);
    try {
      return (await importTranscripts(store, path!)).imported;
    } finally {
      store.close();
      rmSync(home, { recursive: true, force: true });
    }
  }
  if (importer === "transcripts-corpus") return loadTranscriptsCorpus(path!).prompts.length;
  if (importer === "replay") {
    const loaded = await loadReplayAnswers([path!], undefined);
    return loaded.answers.size;
  }
  throw new Error(`unknown importer ${importer}`);
}

const started = performance.now();
try {
  const rows = await read();
  const milliseconds = performance.now() - started;
  clearInterval(sampler);
  const peakRssBytes = Math.max(peak, process.resourceUsage().maxRSS * 1024);
  console.log(JSON.stringify({ importer, rows, milliseconds, peakRssBytes }));
} catch (error) {
  clearInterval(sampler);
  console.log(JSON.stringify({ importer, error: `${(error as Error).name}: ${(error as Error).message}` }));
  process.exitCode = 1;
}
