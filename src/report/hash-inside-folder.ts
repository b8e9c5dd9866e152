/**
 * Hashes a file of a report folder for `verify` without ever reading a file outside the folder, even
 * when the folder changes while it is read (a listed file swapped for a symbolic link, or a parent
 * folder for a link out, between the check and the read). The file is opened with O_NOFOLLOW, so the
 * last component is never followed; the opened handle must be a regular file (fstat); where that handle
 * really is must lie inside the folder (Linux: /proc/self/fd; elsewhere: the file at the real path must
 * still be the one opened); and the hash is read from that same handle.
 */
import { createHash } from "node:crypto";
import { constants, readlinkSync, realpathSync, statSync } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { isAbsolute, join, relative, sep } from "node:path";

/** True when `to` is not `from` or under it. */
export function leavesFolder(from: string, to: string): boolean {
  const relativePath = relative(from, to);
  return isAbsolute(relativePath) || relativePath === ".." || relativePath.startsWith(`..${sep}`);
}

/**
 * The hash of a file inside the folder; `missing` when there is no regular file there; `link` when a
 * symbolic link on the way leads out of the folder, or the file changed into a link while it was
 * opened (neither is read).
 */
export type InsideFolderHash = { sha256: string; content?: Buffer } | { missing: true } | { outside: "link" };

/** Read-only, never blocking on a FIFO put in a file's place (fstat then says it is no file). */
export const readWithoutBlocking = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
/**
 * The same without following a link at the last component. Windows has neither flag; there the check
 * after opening still applies.
 */
export const readWithoutFollowing = readWithoutBlocking | (constants.O_NOFOLLOW ?? 0);

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** Where an open handle really is: Linux names it in /proc/self/fd; undefined where that is unknown. */
function handlePath(handle: FileHandle): string | undefined {
  try {
    return readlinkSync(`/proc/self/fd/${handle.fd}`).replace(/ \(deleted\)$/, "");
  } catch {
    return undefined;
  }
}

/** True when the opened handle is the file at `realPath` and that lies inside `realFolder`. */
async function handleIsInside(handle: FileHandle, realPath: string, realFolder: string): Promise<boolean> {
  const known = handlePath(handle);
  if (known !== undefined) return !leavesFolder(realFolder, known);
  // Without /proc: the real path, checked again now, must be inside and be the very file opened.
  try {
    const again = realpathSync.native(realPath);
    const opened = await handle.stat();
    const there = statSync(again);
    return !leavesFolder(realFolder, again) && there.dev === opened.dev && there.ino === opened.ino;
  } catch {
    return false;
  }
}

/** The hash of what the handle holds, and with `keep` the bytes themselves (read once, so both agree). */
async function hashHandle(handle: FileHandle, keep: boolean): Promise<{ sha256: string; content?: Buffer }> {
  const hash = createHash("sha256");
  const kept: Buffer[] = [];
  for (;;) {
    const buffer = Buffer.allocUnsafe(1 << 16);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
    if (bytesRead === 0)
      return keep
        ? { sha256: hash.digest("hex"), content: Buffer.concat(kept) }
        : { sha256: hash.digest("hex") };
    hash.update(buffer.subarray(0, bytesRead));
    if (keep) kept.push(buffer.subarray(0, bytesRead));
  }
}

/**
 * Hashes `entry` (a path relative to `folder`, already normalised: no `..`, not absolute) if it is a
 * regular file inside the folder. A link inside the folder to a file inside it is read at its real
 * path; a link that leads out is never read. With `keepContent` the bytes that were hashed come back too,
 * so a caller can check what it verified without opening the file a second time.
 */
export async function hashInsideFolder(
  folder: string,
  entry: string,
  options: { keepContent?: boolean } = {},
): Promise<InsideFolderHash> {
  let realFolder: string;
  let realPath: string;
  try {
    realFolder = realpathSync.native(folder);
    realPath = realpathSync.native(join(folder, entry));
  } catch (error) {
    if (["ENOENT", "ENOTDIR", "ELOOP", "EINVAL"].includes(errorCode(error) ?? "")) return { missing: true };
    throw error;
  }
  if (leavesFolder(realFolder, realPath)) return { outside: "link" };
  let handle: FileHandle;
  try {
    // The real path has no link in it; one that appears at its end now is not followed (ELOOP).
    handle = await open(realPath, readWithoutFollowing);
  } catch (error) {
    const code = errorCode(error);
    if (code === "ELOOP" || code === "EMLINK") return { outside: "link" };
    if (code === "ENOENT" || code === "ENOTDIR" || code === "ENXIO") return { missing: true };
    throw error;
  }
  try {
    if (!(await handle.stat()).isFile()) return { missing: true };
    if (!(await handleIsInside(handle, realPath, realFolder))) return { outside: "link" };
    return await hashHandle(handle, options.keepContent === true);
  } finally {
    await handle.close();
  }
}
