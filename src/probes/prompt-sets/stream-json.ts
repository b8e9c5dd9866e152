/**
 * Streaming readers for prompt files too large to hold as one string (the common ShareGPT file is
 * about 670 MB, above V8's string limit): JSONL line by line, and the elements of a top-level JSON array
 * one at a time. Each element is parsed on its own, so memory holds one record plus what the caller keeps.
 */
import { createReadStream } from "node:fs";
import { decodeUtf8, Utf8LineSplitter } from "../../corpus/utf8.ts";
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

/**
 * Yields each non-blank JSONL line parsed, with its 1-based line number. Lines end at `\n`, `\r\n` or a
 * lone `\r`; bytes that are not UTF-8 are an InputError naming the line.
 */
export async function* streamJsonLines(path: string): AsyncGenerator<JsonLine> {
  const stream = createReadStream(path);
  const opened = new Promise<void>((resolve, reject) => {
    stream.once("open", () => resolve());
    stream.once("error", reject);
  });
  try {
    await opened;
  } catch (error) {
    throw openError(path, error);
  }
  const splitter = new Utf8LineSplitter(path, { loneCarriageReturn: true });
  const reader = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: IteratorResult<Buffer>;
      try {
        next = await reader.next();
      } catch (error) {
        // A read that fails after the open (a folder, say) is bad input.
        throw openError(path, error);
      }
      for (const [line, raw] of splitter.push(next.done ? undefined : next.value)) {
        const text = raw.trim();
        if (text === "") continue;
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          throw new InputError(`${path}:${line}: not valid JSON; each line must be one JSON object`);
        }
        yield { line, value };
      }
      if (next.done) return;
    }
  } finally {
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

/** Where the reader is in the array: the grammar between elements is checked strictly. */
type ArrayState =
  | "before-array"
  | "after-open" // after `[`: an element or `]`
  | "after-element" // a `,` or `]`
  | "after-comma" // an element
  | "in-element"
  | "after-array";

/**
 * Yields the elements of a file holding one JSON array, each parsed, with its index and the line it
 * starts on. Works on bytes: the structural characters are ASCII, so UTF-8 text inside strings is safe;
 * each element is decoded strictly (not UTF-8 is an InputError naming its line). The array syntax between
 * elements is JSON's: `[,{...}]`, `{...} {...}` and a trailing comma are refused with the line.
 */
export async function* streamJsonArray(
  path: string,
): AsyncGenerator<{ index: number; line: number; value: unknown }> {
  const stream = createReadStream(path);
  // Declared through a cast so that the checks after the loop are not narrowed to the initial value.
  let state = "before-array" as ArrayState;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let pieces: Buffer[] = [];
  let pieceStart = 0;
  let line = 1;
  let elementLine = 1;
  let index = 0;
  let firstChunk = true;
  const fail = (reason: string) =>
    new InputError(`${path}:${line}: ${reason}; ShareGPT files are one JSON array`);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      pieceStart = 0;
      let position = 0;
      if (firstChunk) {
        firstChunk = false;
        if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) position = 3; // a leading BOM
      }
      for (; position < chunk.length; position++) {
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
              const bytes = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
              const text = decodeUtf8(bytes, path, elementLine);
              pieces = [];
              let value: unknown;
              try {
                value = JSON.parse(text);
              } catch {
                throw new InputError(`${path}:${elementLine}: element ${index} is not valid JSON`);
              }
              yield { index, line: elementLine, value };
              index++;
              state = "after-element";
            }
          }
          continue;
        }
        if (isSpace(byte)) continue;
        if (state === "before-array") {
          if (byte === openBrace)
            throw fail(
              "expected a JSON array, found an object; a file of one conversation per line is read when its name ends in .jsonl",
            );
          if (byte !== openBracket) throw fail("expected a JSON array");
          state = "after-open";
        } else if (state === "after-element") {
          if (byte === comma) state = "after-comma";
          else if (byte === closeBracket) state = "after-array";
          else throw fail(`expected "," or "]" after element ${index - 1}`);
        } else if (state === "after-open" || state === "after-comma") {
          if (byte === openBrace || byte === openBracket) {
            state = "in-element";
            depth = 1;
            elementLine = line;
            pieceStart = position;
          } else if (byte === closeBracket && state === "after-open") state = "after-array";
          else if (byte === closeBracket)
            throw fail(`a "," before "]" (trailing comma) after element ${index - 1}`);
          else if (byte === comma)
            throw fail(index === 0 ? `a "," before the first element` : `two "," after element ${index - 1}`);
          else throw fail(`element ${index} is not an object`);
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
