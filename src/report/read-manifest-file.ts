/**
 * Reads and parses the manifest that `verify` checks, without following a symbolic link where the user
 * did not name one, and without ever quoting the file in an error: a JSON error names the file and the
 * position only (V8's own message quotes a snippet of the text, which could be any file a link points to).
 */
import { closeSync, fstatSync, openSync, readFileSync } from "node:fs";
import { InputError } from "../errors.ts";
import { readWithoutBlocking, readWithoutFollowing } from "./hash-inside-folder.ts";

/** Where the first character that stops `text` being JSON is (0-based), for a text JSON.parse refused. */
export function jsonErrorOffset(text: string, error: unknown): number {
  const stated = /at position (\d+)/.exec(error instanceof Error ? error.message : "");
  if (stated) return Number(stated[1]);
  // "Unexpected token 'x', ..." names no position: the longest prefix that is JSON, or JSON cut short,
  // ends where the text goes wrong (a prefix of such a prefix is one too, so a binary search finds it).
  const viable = (length: number): boolean => {
    try {
      JSON.parse(text.slice(0, length));
      return true;
    } catch (prefixError) {
      const message = prefixError instanceof Error ? prefixError.message : "";
      const at = /at position (\d+)/.exec(message);
      return /Unexpected end of JSON input/.test(message) || (at !== null && Number(at[1]) >= length);
    }
  };
  let low = 0;
  let high = text.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (viable(middle)) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** "line L, column C" (1-based) of a 0-based offset. */
function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return `line ${line}, column ${offset - before.lastIndexOf("\n")}`;
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/**
 * The parsed JSON of the manifest at `path`. `followLink` false (the manifest.json found inside a report
 * folder): a symbolic link there is refused (O_NOFOLLOW), never read. True (a manifest file the user
 * named): a link is followed, as the user chose it. Either way it must be a regular file (a FIFO does not
 * block: O_NONBLOCK), and every error is an InputError naming the file, never showing its content.
 */
export function readManifestJson(path: string, followLink: boolean): unknown {
  const flags = followLink ? readWithoutBlocking : readWithoutFollowing;
  let descriptor: number;
  try {
    descriptor = openSync(path, flags);
  } catch (error) {
    const code = errorCode(error);
    if (code === "ENOENT" || code === "ENOTDIR")
      throw new InputError(`${path}: no manifest; write one with distillscope report --manifest`);
    if (!followLink && (code === "ELOOP" || code === "EMLINK"))
      throw new InputError(
        `${path}: is a symbolic link, which verify does not follow inside a report folder; name the manifest file itself if you trust where the link leads`,
      );
    throw new InputError(`${path}: cannot be read (${code ?? "error"})`);
  }
  let text: string;
  try {
    if (!fstatSync(descriptor).isFile())
      throw new InputError(`${path}: not a regular file; pass a report folder or its manifest.json`);
    text = readFileSync(descriptor, "utf8");
  } finally {
    closeSync(descriptor);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const offset = jsonErrorOffset(text, error);
    const where = offset >= text.length ? "ends too early" : `at ${lineAndColumn(text, offset)}`;
    throw new InputError(
      `${path}: invalid JSON (${where}); the manifest was edited or is not a distillscope manifest`,
    );
  }
}
