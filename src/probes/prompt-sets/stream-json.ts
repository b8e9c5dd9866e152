/**
 * Streaming readers for prompt files too large to hold as one string (the common ShareGPT file is
 * about 670 MB, above V8's string limit): JSONL line by line, and the elements of a top-level JSON array
 * one at a time. Each element is parsed on its own, so memory holds one record plus what the caller keeps.
 */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { InputError } from "../../errors.ts";

/** A parsed JSONL record with the 1-based line it came from. */
export interface JsonLine {
  line: number;
  value: unknown;
}

function openError(path: string, error: unknown): InputError {
  const code = (error as { code?: string }).code ?? "unreadable";
  if (code === "ERR_STRING_TOO_LONG")
    return new InputError(
      `${path}: one record is too large to read; check that the file is JSONL or a JSON array`,
    );
  return new InputError(`${path}: cannot read the prompt file (${code}); check the path`);
}

/** Yields each non-blank JSONL line parsed, with its 1-based line number. */
export async function* streamJsonLines(path: string): AsyncGenerator<JsonLine> {
  const stream = createReadStream(path, { encoding: "utf8" });
  const opened = new Promise<void>((resolve, reject) => {
    stream.once("open", () => resolve());
    stream.once("error", reject);
  });
  try {
    await opened;
  } catch (error) {
    throw openError(path, error);
  }
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  const reader = lines[Symbol.asyncIterator]();
  try {
    while (true) {
      let next: IteratorResult<string>;
      try {
        next = await reader.next();
      } catch (error) {
        // A read that fails after the open (a folder, a line longer than a string may be) is bad input.
        throw openError(path, error);
      }
      if (next.done) return;
      line++;
      const text = (line === 1 ? next.value.replace(/^\uFEFF/, "") : next.value).trim();
      if (text === "") continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw new InputError(`${path}:${line}: not valid JSON; each line must be one JSON object`);
      }
      yield { line, value };
    }
  } finally {
    lines.close();
    stream.destroy();
  }
}

const openBrace = 0x7b;
const closeBrace = 0x7d;
const openBracket = 0x5b;
const closeBracket = 0x5d;
const quote = 0x22;
const backslash = 0x5c;
const comma = 0x2c;

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/**
 * Yields the elements of a file holding one JSON array, each parsed, with its index and the line it
 * starts on. Works on bytes: the structural characters are ASCII, so UTF-8 text inside strings is safe.
 */
export async function* streamJsonArray(
  path: string,
): AsyncGenerator<{ index: number; line: number; value: unknown }> {
  const stream = createReadStream(path);
  // Declared through a cast so that the checks after the loop are not narrowed to the initial value.
  let state = "before-array" as "before-array" | "between" | "in-element" | "after-array";
  let depth = 0;
  let inString = false;
  let escaped = false;
  let pieces: Buffer[] = [];
  let pieceStart = 0;
  let line = 1;
  let elementLine = 1;
  let index = 0;
  const fail = (reason: string) =>
    new InputError(`${path}:${line}: ${reason}; ShareGPT files are one JSON array`);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      pieceStart = 0;
      for (let position = 0; position < chunk.length; position++) {
        const byte = chunk[position]!;
        if (byte === 0x0a) line++;
        if (state === "in-element") {
          if (inString) {
            if (escaped) escaped = false;
            else if (byte === backslash) escaped = true;
            else if (byte === quote) inString = false;
            continue;
          }
          if (byte === quote) inString = true;
          else if (byte === openBrace || byte === openBracket) depth++;
          else if (byte === closeBrace || byte === closeBracket) {
            depth--;
            if (depth === 0) {
              pieces.push(chunk.subarray(pieceStart, position + 1));
              const text = Buffer.concat(pieces).toString("utf8");
              pieces = [];
              let value: unknown;
              try {
                value = JSON.parse(text);
              } catch {
                throw new InputError(`${path}:${elementLine}: element ${index} is not valid JSON`);
              }
              yield { index, line: elementLine, value };
              index++;
              state = "between";
            }
          }
          continue;
        }
        if (isSpace(byte) || (byte === 0xef && state === "before-array" && position < 3)) continue;
        if (state === "before-array") {
          if (byte === 0xbb || byte === 0xbf) continue;
          if (byte !== openBracket) throw fail("expected a JSON array");
          state = "between";
        } else if (state === "between") {
          if (byte === comma) continue;
          if (byte === closeBracket) state = "after-array";
          else if (byte === openBrace || byte === openBracket) {
            state = "in-element";
            depth = 1;
            elementLine = line;
            pieceStart = position;
          } else throw fail(`element ${index} is not an object`);
        } else {
          throw fail("unexpected text after the array");
        }
      }
      if (state === "in-element") pieces.push(chunk.subarray(pieceStart));
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw openError(path, error);
  }
  if (state !== "after-array")
    throw fail(state === "before-array" ? "the file is empty" : "the array is not closed");
}
