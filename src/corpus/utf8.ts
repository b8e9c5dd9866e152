/**
 * Strict UTF-8 for the files a user hands us: bytes that are not UTF-8 are an InputError naming the file
 * and the line ("not UTF-8; re-save it as UTF-8"), never a silent U+FFFD sent on to a model or a metric.
 * Whole buffers are checked with `isUtf8` and streams go through a fatal TextDecoder (both about as fast
 * as the lenient decoding they replace); the line of a bad byte is looked up only once decoding failed.
 */
import { isUtf8 } from "node:buffer";
import { InputError } from "../errors.ts";

/** The InputError for a file (and line, when known) that is not UTF-8. */
export function notUtf8Error(file: string, line?: number): InputError {
  return new InputError(`${file}${line === undefined ? "" : `:${line}`}: not UTF-8; re-save it as UTF-8`);
}

const newline = 0x0a;

/** Bytes of an unfinished multi-byte sequence at the end of `bytes` (0 when it ends on a boundary). */
function unfinishedTail(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back]!;
    if (byte < 0x80 || byte >= 0xc0) {
      // a lead byte (or ASCII) `back` bytes from the end: unfinished when it announces more bytes
      const needs = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
      return needs > back ? back : 0;
    }
  }
  return 0;
}

/**
 * The 0-based index of the first line of `bytes` (split at `\n`) that is not UTF-8, or undefined.
 * With `streaming`, the first line may start with the continuation bytes of a character begun earlier
 * and the last may end in a character finished later: neither counts as bad.
 */
export function firstBadLine(bytes: Uint8Array, streaming = false): number | undefined {
  let start = 0;
  for (let line = 0; ; line++) {
    const end = bytes.indexOf(newline, start);
    let segment = bytes.subarray(start, end === -1 ? bytes.length : end);
    if (streaming && line === 0) {
      let skip = 0;
      while (skip < 3 && skip < segment.length && (segment[skip]! & 0xc0) === 0x80) skip++;
      segment = segment.subarray(skip);
    }
    if (streaming && end === -1) segment = segment.subarray(0, segment.length - unfinishedTail(segment));
    if (!isUtf8(segment)) return line;
    if (end === -1) return undefined;
    start = end + 1;
  }
}

/**
 * Decodes a whole file's bytes (or one record of it starting on `firstLine`) strictly; a leading BOM is
 * kept for the caller to drop. Throws the not-UTF-8 InputError naming `file:line`.
 */
export function decodeUtf8(bytes: Uint8Array, file: string, firstLine = 1): string {
  if (isUtf8(bytes)) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  const bad = firstBadLine(bytes);
  const lineCount = bytes.reduce((count, byte) => (byte === newline ? count + 1 : count), 0);
  throw notUtf8Error(file, firstLine + (bad ?? lineCount));
}

/**
 * Splits a byte stream into lines: each chunk goes through one strict streaming decoder (characters split
 * across chunks stay whole), `\n` or `\r\n` endings (a lone `\r` too, when asked), a leading BOM dropped.
 * Memory holds one chunk plus the current line.
 */
export class Utf8LineSplitter {
  private readonly decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  private parts: string[] = [];
  private lineNumber = 0;
  private first = true;
  private readonly file: string;
  private readonly loneCarriageReturn: boolean;

  /** `loneCarriageReturn`: a `\r` alone also ends a line (old Mac files), as Node's readline does. */
  constructor(file: string, options: { loneCarriageReturn?: boolean } = {}) {
    this.file = file;
    this.loneCarriageReturn = options.loneCarriageReturn === true;
  }

  /** The number of the line being read (1-based), for errors raised by the caller while reading. */
  get currentLine(): number {
    return this.lineNumber + 1;
  }

  /** The complete lines in `chunk`, as `[1-based line number, text]`; `undefined` ends the input. */
  *push(chunk: Uint8Array | undefined): Generator<[number, string]> {
    let text: string;
    try {
      text = chunk === undefined ? this.decoder.decode() : this.decoder.decode(chunk, { stream: true });
    } catch {
      const bad = chunk === undefined ? undefined : firstBadLine(chunk, true);
      throw notUtf8Error(this.file, this.lineNumber + 1 + (bad ?? 0));
    }
    let start = 0;
    for (let end = text.indexOf("\n"); end !== -1; end = text.indexOf("\n", start)) {
      this.parts.push(text.slice(start, end));
      start = end + 1;
      yield* this.finish();
    }
    if (start < text.length) this.parts.push(text.slice(start));
    if (chunk === undefined && this.parts.length > 0) yield* this.finish();
  }

  private *finish(): Generator<[number, string]> {
    let line: string;
    try {
      line = this.parts.length === 1 ? this.parts[0]! : this.parts.join("");
    } catch {
      throw new InputError(`${this.file}:${this.lineNumber + 1}: the line is too long to read (over 500 MB)`);
    }
    this.parts = [];
    if (line.endsWith("\r")) line = line.slice(0, -1);
    if (this.first) {
      this.first = false;
      if (line.startsWith("\uFEFF")) line = line.slice(1);
    }
    if (this.loneCarriageReturn && line.includes("\r")) {
      for (const piece of line.split("\r")) {
        this.lineNumber++;
        yield [this.lineNumber, piece];
      }
      return;
    }
    this.lineNumber++;
    yield [this.lineNumber, line];
  }
}
