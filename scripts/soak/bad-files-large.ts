/**
 * Streaming soak (issue 6, bad files): a 1,000,000-line transcript file and a file whose single answer is
 * 50 MB, read by each of our JSONL importers in its own child process. Prints lines/s and peak RSS
 * against the file size. The line-by-line importers (lee2025, store import) keep memory flat; the
 * lineage corpus and replay keep what they must look up later (ids and answers), so theirs grows with it.
 * Usage: node scripts/soak/bad-files-large.ts [lines=1000000] [answer-megabytes=50]
 */
import { spawnSync } from "node:child_process";
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const lineCount = Number(process.argv[2] ?? 1_000_000);
const answerMegabytes = Number(process.argv[3] ?? 50);
const childScript = join(import.meta.dirname, "..", "..", "src", "testing", "read-large-child.ts");
const folder = mkdtempSync(join(tmpdir(), "distillscope-large-files-"));

function line(index: number, model: string, response = `answer number ${index} to the prompt`): string {
  return JSON.stringify({
    id: `p${index}`,
    sample: 0,
    model,
    messages: [{ role: "user", content: `prompt number ${index}` }],
    response,
    usage: { inputTokens: 12, outputTokens: 9 },
    latencyMs: 40,
    cached: false,
    query: `prompt number ${index}`,
    jailbreak_prompt: "{query}",
    target_responses: [response],
  });
}

async function writeLines(file: string, count: number, make: (index: number) => string): Promise<void> {
  const stream = createWriteStream(file);
  for (let index = 0; index < count; index++) {
    if (!stream.write(`${make(index)}\n`))
      await new Promise<void>((done) => stream.once("drain", () => done()));
  }
  await new Promise<void>((done) => stream.end(() => done()));
}

interface ChildResult {
  rows?: number;
  milliseconds?: number;
  peakRssBytes?: number;
  error?: string;
}

/**
 * Runs one importer in a child; `heapMegabytes` caps its V8 heap, proving the file is not held whole. Fails
 * unless the importer read exactly `expectedRows` rows (lines; for the corpus, prompts aligned across files).
 */
function run(
  importer: string,
  path: string,
  lines: number,
  bytes: number,
  heapMegabytes?: number,
  expectedRows = lines,
): boolean {
  const flags = heapMegabytes === undefined ? [] : [`--max-old-space-size=${heapMegabytes}`];
  const child = spawnSync(process.execPath, [...flags, childScript, importer, path], {
    encoding: "utf8",
    timeout: 600_000,
  });
  const last = child.stdout.trim().split("\n").at(-1) ?? "";
  let result: ChildResult;
  try {
    result = JSON.parse(last) as ChildResult;
  } catch {
    result = { error: `exit ${child.status}: ${child.stderr.slice(-300)}` };
  }
  if (result.error !== undefined || child.status !== 0) {
    console.log(`  ${importer}: FAILED ${result.error ?? child.status}`);
    return false;
  }
  if (result.rows !== expectedRows) {
    console.log(`  ${importer}: FAILED read ${result.rows} rows, expected ${expectedRows}`);
    return false;
  }
  const seconds = (result.milliseconds ?? 0) / 1000;
  console.log(
    `  ${importer.padEnd(19)} ${String(result.rows).padStart(9)} rows  ${(lines / seconds).toFixed(0).padStart(8)} lines/s  peak RSS ${((result.peakRssBytes ?? 0) / 1e6).toFixed(0)} MB (file ${(bytes / 1e6).toFixed(0)} MB${heapMegabytes === undefined ? "" : `, heap capped at ${heapMegabytes} MB`})`,
  );
  return true;
}

let ok = true;
try {
  const empty = join(folder, "empty.jsonl");
  await writeLines(empty, 1, (index) => line(index, "model-a"));
  console.log("baseline (a one-line file, the process's own footprint):");
  ok = run("lee2025", empty, 1, statSync(empty).size) && ok;
  const manyLines = join(folder, "many", "a.jsonl");
  mkdirSync(join(folder, "many"));
  await writeLines(manyLines, lineCount, (index) => line(index, "model-a"));
  await writeLines(join(folder, "many", "b.jsonl"), 10, (index) => line(index, "model-b"));
  const manyBytes = statSync(manyLines).size;
  console.log(`${lineCount.toLocaleString("en")}-line transcript file (${(manyBytes / 1e6).toFixed(0)} MB):`);
  // The line-by-line importers keep nothing per line: a 64 MB heap is enough for any number of lines.
  for (const importer of ["lee2025", "store-import"])
    ok = run(importer, manyLines, lineCount, manyBytes, 64) && ok;
  ok = run("replay", manyLines, lineCount, manyBytes) && ok;
  // b.jsonl has 10 of the prompts: the corpus aligns on those 10.
  ok = run("transcripts-corpus", join(folder, "many"), lineCount, manyBytes, undefined, 10) && ok;

  const bigAnswer = join(folder, "big", "a.jsonl");
  mkdirSync(join(folder, "big"));
  const answer = "All work and no play. "
    .repeat(Math.ceil((answerMegabytes * 1e6) / 22))
    .slice(0, answerMegabytes * 1e6);
  await writeLines(bigAnswer, 3, (index) => line(index, "model-a", index === 1 ? answer : undefined));
  await writeLines(join(folder, "big", "b.jsonl"), 3, (index) => line(index, "model-b"));
  const bigBytes = statSync(bigAnswer).size;
  console.log(
    `one ${answerMegabytes} MB answer (file ${(bigBytes / 1e6).toFixed(0)} MB, the answer appears twice per line):`,
  );
  for (const importer of ["lee2025", "store-import", "replay"])
    ok = run(importer, bigAnswer, 3, bigBytes) && ok;
  ok = run("transcripts-corpus", join(folder, "big"), 3, bigBytes) && ok;
} finally {
  rmSync(folder, { recursive: true, force: true });
}
process.exit(ok ? 0 : 1);
