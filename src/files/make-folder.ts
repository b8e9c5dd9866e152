/**
 * `mkdir -p` that cannot spin: Node's `mkdirSync(path, { recursive: true })` loops for ever on a path
 * such as /proc/x (the kernel answers ENOENT for a folder whose parent exists, and the recursive walk
 * retries without end). Here every missing folder is made once, from the outermost, so that answer
 * becomes the error it is.
 */
import { existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { InputError } from "../errors.ts";

/**
 * A file stands where a folder must be (`--out /dev/null/y.json`, `--home prompts.jsonl`). Keeps the
 * code mkdir would give (EEXIST for the path itself, ENOTDIR below it) and names the file in the way.
 */
export class NotAFolderError extends InputError {
  override name = "NotAFolderError";
  readonly code: "EEXIST" | "ENOTDIR";
  readonly path: string;
  constructor(path: string, code: "EEXIST" | "ENOTDIR") {
    super(`${path} is a file, not a folder`);
    this.path = path;
    this.code = code;
  }
}

/** Makes `path` and every missing folder above it; a folder already there is fine, a file is NotAFolderError. */
export function makeFolder(path: string): void {
  const absolute = resolve(path);
  const missing: string[] = [];
  let current = absolute;
  for (; !existsSync(current); current = dirname(current)) {
    missing.push(current);
    if (dirname(current) === current) break;
  }
  // `current` is the nearest path that exists: it must be a folder to hold (or be) the one asked for.
  if (existsSync(current) && !statSync(current).isDirectory())
    throw new NotAFolderError(current, missing.length === 0 ? "EEXIST" : "ENOTDIR");
  for (const folder of missing.reverse()) {
    try {
      mkdirSync(folder);
    } catch (error) {
      // Made meanwhile by a parallel writer: as good as made here.
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EEXIST" && statSync(folder, { throwIfNoEntry: false })?.isDirectory() === true) continue;
      throw error;
    }
  }
}

/** What went wrong making a folder, for a message that names the setting: "<file> is a file, not a folder", "cannot make /proc/x (ENOENT)". */
export function folderProblem(error: unknown): string {
  if (error instanceof NotAFolderError) return error.message;
  const { code, path } = error as { code?: unknown; path?: unknown };
  if (typeof code === "string" && typeof path === "string") return `cannot make ${path} (${code})`;
  return error instanceof Error ? error.message : String(error);
}
