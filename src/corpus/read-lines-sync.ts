/**
 * Reads a text file line by line without loading it whole: fixed-size chunks through a strict UTF-8
 * decoder (characters split across chunks stay whole; bytes that are not UTF-8 are an InputError naming
 * the line), `\n` or `\r\n` endings, a leading BOM dropped. Memory holds one chunk plus the current line,
 * so a million-line file costs no more than its longest line.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { InputError } from "../errors.ts";
import { Utf8LineSplitter } from "./utf8.ts";

const chunkBytes = 1 << 20;

/** Yields `[1-based line number, text]` for every line, blank ones included. */
export function* readLinesSync(file: string): Generator<[number, string]> {
  let descriptor: number;
  try {
    descriptor = openSync(file, "r");
  } catch (error) {
    const code = (error as { code?: string }).code ?? "unreadable";
    throw new InputError(`${file}: cannot read the file (${code}); check the path`);
  }
  const splitter = new Utf8LineSplitter(file);
  const buffer = Buffer.allocUnsafe(chunkBytes);
  try {
    for (;;) {
      let read: number;
      try {
        read = readSync(descriptor, buffer, 0, chunkBytes, null);
      } catch (error) {
        const code = (error as { code?: string }).code ?? "unreadable";
        throw new InputError(`${file}:${splitter.currentLine}: cannot read the file (${code})`);
      }
      if (read === 0) break;
      yield* splitter.push(buffer.subarray(0, read));
    }
    yield* splitter.push(undefined);
  } finally {
    closeSync(descriptor);
  }
}
