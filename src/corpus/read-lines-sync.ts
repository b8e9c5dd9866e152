/**
 * Reads a text file line by line without loading it whole: fixed-size chunks through a UTF-8 decoder
 * (characters split across chunks stay whole), `\n` or `\r\n` endings, a leading BOM dropped. Memory
 * holds one chunk plus the current line, so a million-line file costs no more than its longest line.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { InputError } from "../errors.ts";

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
  const decoder = new StringDecoder("utf8");
  const buffer = Buffer.allocUnsafe(chunkBytes);
  let parts: string[] = [];
  let lineNumber = 0;
  let first = true;
  const finish = (): string => {
    let line: string;
    try {
      line = parts.join("");
    } catch {
      throw new InputError(`${file}:${lineNumber}: the line is too long to read (over 500 MB)`);
    }
    parts = [];
    if (line.endsWith("\r")) line = line.slice(0, -1);
    if (first) {
      first = false;
      if (line.startsWith("\uFEFF")) line = line.slice(1);
    }
    return line;
  };
  try {
    for (;;) {
      let read: number;
      try {
        read = readSync(descriptor, buffer, 0, chunkBytes, null);
      } catch (error) {
        const code = (error as { code?: string }).code ?? "unreadable";
        throw new InputError(`${file}:${lineNumber + 1}: cannot read the file (${code})`);
      }
      const text = read === 0 ? decoder.end() : decoder.write(buffer.subarray(0, read));
      let start = 0;
      for (let newline = text.indexOf("\n"); newline !== -1; newline = text.indexOf("\n", start)) {
        parts.push(text.slice(start, newline));
        start = newline + 1;
        lineNumber++;
        yield [lineNumber, finish()];
      }
      if (start < text.length) parts.push(text.slice(start));
      if (read === 0) break;
    }
    if (parts.length > 0) {
      lineNumber++;
      yield [lineNumber, finish()];
    }
  } finally {
    closeSync(descriptor);
  }
}
