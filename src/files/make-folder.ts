/**
 * `mkdir -p` that cannot spin: Node's `mkdirSync(path, { recursive: true })` loops for ever on a path
 * such as /proc/x (the kernel answers ENOENT for a folder whose parent exists, and the recursive walk
 * retries without end). Here every missing folder is made once, from the outermost, so that answer
 * becomes the error it is.
 */
import { existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";

/** Makes `path` and every missing folder above it; a folder already there is fine, a file is EEXIST. */
export function makeFolder(path: string): void {
  const absolute = resolve(path);
  const missing: string[] = [];
  for (let current = absolute; !existsSync(current); current = dirname(current)) {
    missing.push(current);
    if (dirname(current) === current) break;
  }
  // Nothing missing: a folder is done; anything else gets mkdir's own EEXIST.
  if (missing.length === 0 && !statSync(absolute).isDirectory()) mkdirSync(absolute);
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
