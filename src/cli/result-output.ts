/**
 * Where a command's result goes. `--out -` means standard output (as for jq and promptfoo), so that the
 * result can be piped: `distillscope lineage results --format alpacaeval --out - | jq .attributions`.
 * Then stdout holds the result document and nothing else: every other line the command prints (tables,
 * summaries, notes, the fail-on table) goes to stderr, through `messageStream`.
 */
import { writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { makeFolder } from "../files/make-folder.ts";

/** The --out value that names standard output. */
export const standardOutputName = "-";

/** Whether an output flag's value names standard output. */
export function isStandardOutput(path: string | undefined): boolean {
  return path === standardOutputName;
}

/** The stream for a command's human-readable lines: stderr when its result (`out`) goes to stdout. */
export function messageStream(out: string | undefined): NodeJS.WriteStream {
  return isStandardOutput(out) ? process.stderr : process.stdout;
}

/** How messages name where the result went: "standard output" for "-", else the path. */
export function resultPlace(out: string): string {
  return isStandardOutput(out) ? "standard output" : out;
}

/** How an error names the record of what happened: "the result on standard output" for "-", else the path. */
export function resultRecord(out: string): string {
  return isStandardOutput(out) ? "the result on standard output" : out;
}

/** Writes a result document: to stdout for "-", else to the file (its folder made first). */
export function writeResult(out: string, text: string): void {
  if (isStandardOutput(out)) {
    process.stdout.write(text);
    return;
  }
  makeFolder(dirname(resolve(out)));
  writeFileSync(out, text);
}

/** Writes a result object as indented JSON with a final newline (see writeResult). */
export function writeResultJson(out: string, result: unknown): void {
  writeResult(out, `${JSON.stringify(result, null, 2)}\n`);
}
