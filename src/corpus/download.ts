/**
 * Downloads one public file into a cache directory: HTTPS only (plain HTTP only to a loopback host,
 * for tests), redirects followed by hand so that each hop is checked, written to `<file>.partial`
 * and renamed into place only once verified (length, JSON, optional SHA-256). A `.partial` left by
 * an interrupted run is resumed with an HTTP Range request; a file already in place is not fetched.
 */
import { createHash } from "node:crypto";
import {
  createReadStream,
  existsSync,
  lstatSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
} from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { InputError, RuntimeFailure } from "../errors.ts";
import { makeFolder } from "../files/make-folder.ts";
import { endpointPlace } from "../models/endpoint-place.ts";
import { downloadDispatcher } from "./download-proxy.ts";

/** How the downloaded bytes are checked before they are accepted. */
export type ContentCheck = "json" | "jsonl" | "none";

export interface DownloadRequest {
  url: string;
  /** Path inside `cacheDirectory`, `/`-separated; may not climb out of it. */
  relativePath: string;
  cacheDirectory: string;
  check?: ContentCheck;
  /** Expected SHA-256 (hex) of the whole file. */
  sha256?: string;
  /** Inactivity timeout: no byte for this long aborts the download (default 30 s). */
  timeoutMs?: number;
  maxRedirects?: number;
  signal?: AbortSignal;
}

export interface DownloadOutcome {
  path: string;
  bytes: number;
  sha256: string;
  /** True when the file was already in the cache and nothing was fetched. */
  cached: boolean;
  /** True when an interrupted download was continued with a Range request. */
  resumed: boolean;
}

/** Throws unless the URL is https, or http to a loopback address. */
export function assertAllowedUrl(url: string, context: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError(`${context}: "${url}" is not a URL`);
  }
  const isLoopback = endpointPlace(parsed.hostname) === "loopback";
  if (parsed.protocol === "https:" || (parsed.protocol === "http:" && isLoopback)) return parsed;
  throw new RuntimeFailure(
    `${context}: refusing ${parsed.protocol.replace(/:$/, "")} URL ${parsed.origin === "null" ? parsed.protocol : parsed.origin}: only https (or http to this machine) is allowed`,
  );
}

/**
 * Where a redirect from `from` to `location` may go: only where `assertAllowedUrl` allows (https, or
 * http to this machine; never file:, ftp:, data:, javascript:...), and never from https down to http.
 */
export function redirectTarget(from: URL, location: string, context: string): URL {
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    throw new RuntimeFailure(`${context}: the Location is not a URL`);
  }
  const allowed = assertAllowedUrl(next.toString(), context);
  if (from.protocol === "https:" && allowed.protocol !== "https:") {
    throw new RuntimeFailure(
      `${context}: refusing a downgrade from https to ${allowed.protocol.replace(/:$/, "")}`,
    );
  }
  return allowed;
}

/**
 * The absolute path of `relativePath` inside `cacheDirectory`. Throws InputError for absolute
 * paths, `..` segments, backslashes or control characters, so no name can escape the cache.
 */
export function safeCachePath(cacheDirectory: string, relativePath: string): string {
  const segments = relativePath.split("/");
  const bad = segments.find(
    (segment) => segment === "" || segment === "." || segment === ".." || /[\\\u0000-\u001f]/.test(segment),
  );
  if (isAbsolute(relativePath) || bad !== undefined) {
    throw new InputError(`download path "${relativePath}" is not a plain relative path inside the cache`);
  }
  const root = resolve(cacheDirectory);
  const target = resolve(root, ...segments);
  const inside = relative(root, target);
  if (inside.startsWith("..") || isAbsolute(inside) || !target.startsWith(root + sep)) {
    throw new InputError(`download path "${relativePath}" escapes the cache directory`);
  }
  // A symbolic link below the cache root (planted, or left by another tool) could point anywhere:
  // refuse to write through one, for the file, its `.partial` and every folder on the way.
  let current = root;
  for (const [index, segment] of segments.entries()) {
    current = resolve(current, segment);
    const names = index === segments.length - 1 ? [current, `${current}.partial`] : [current];
    for (const name of names) {
      if (lstatSync(name, { throwIfNoEntry: false })?.isSymbolicLink()) {
        throw new InputError(
          `download path "${relativePath}" goes through the symbolic link ${name}; remove it from the cache`,
        );
      }
    }
  }
  return target;
}

/** Downloads (or finds in the cache) one file. Throws RuntimeFailure with one clear line on failure. */
export async function downloadFile(request: DownloadRequest): Promise<DownloadOutcome> {
  const path = safeCachePath(request.cacheDirectory, request.relativePath);
  const check = request.check ?? "none";
  if (existsSync(path)) {
    const sha256 = await hashFile(path);
    if (request.sha256 === undefined || request.sha256 === sha256) {
      return { path, bytes: statSync(path).size, sha256, cached: true, resumed: false };
    }
    rmSync(path);
  }
  const partialPath = `${path}.partial`;
  // The file's folder is made only once a body arrives (openPartial), so a 404 leaves no empty
  // folder behind (a folder looks like a present model) and never needs to remove one.
  const resumed = await fetchToPartial(request, partialPath);
  try {
    verifyContent(partialPath, check, request.url);
    const sha256 = await hashFile(partialPath);
    if (request.sha256 !== undefined && request.sha256 !== sha256) {
      throw new RuntimeFailure(
        `download of ${request.url}: SHA-256 ${sha256} does not match the expected ${request.sha256}`,
      );
    }
    const bytes = statSync(partialPath).size;
    renameSync(partialPath, path);
    return { path, bytes, sha256, cached: false, resumed };
  } catch (error) {
    // Content that fails verification is not resumable: start from scratch next time.
    rmSync(partialPath, { force: true });
    removeFolderIfEmpty(dirname(path));
    throw error;
  }
}

/**
 * Opens `<file>.partial`, making its folder first. Parallel downloads share folders, and one whose
 * content failed verification removes its folder when empty; should that happen between our mkdir
 * and our open, the folder is made again.
 */
async function openPartial(partialPath: string, flags: "a" | "w") {
  for (let attempt = 1; ; attempt++) {
    makeFolder(dirname(partialPath));
    try {
      return await open(partialPath, flags);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT" || attempt >= 5) {
        // Said as what it is: a file-system failure, not a network one.
        throw new RuntimeFailure(`cannot write ${partialPath}: ${(error as Error).message}`);
      }
    }
  }
}

/** Removes a folder only when it is empty; a parallel download may just have put a file in it. */
function removeFolderIfEmpty(folder: string): void {
  try {
    if (readdirSync(folder).length === 0) rmdirSync(folder);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOTEMPTY" && code !== "ENOENT" && code !== "EEXIST") throw error;
  }
}

/** Fetches into `partialPath`, continuing an existing partial file when the server allows. */
async function fetchToPartial(request: DownloadRequest, partialPath: string): Promise<boolean> {
  const offset = existsSync(partialPath) ? statSync(partialPath).size : 0;
  const timeoutMs = request.timeoutMs ?? 30_000;
  const controller = new AbortController();
  const onOuterAbort = () => controller.abort(request.signal?.reason);
  request.signal?.addEventListener("abort", onOuterAbort, { once: true });
  let timer = setTimeout(() => controller.abort(new Error("timeout")), timeoutMs);
  const touch = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(new Error("timeout")), timeoutMs);
  };
  let received = 0;
  let expectedTotal: number | undefined;
  try {
    const response = await fetchFollowingRedirects(request, offset, controller.signal);
    touch();
    const resuming = offset > 0 && response.status === 206;
    expectedTotal = expectedLength(response, resuming);
    await keepBody(response.body, partialPath, openPartial(partialPath, resuming ? "a" : "w"), {
      read: touch,
      kept: (bytes) => {
        received += bytes;
      },
    });
    const size = statSync(partialPath).size;
    if (expectedTotal !== undefined && size !== expectedTotal) {
      throw new RuntimeFailure(
        `download of ${request.url} truncated: got ${size} of ${expectedTotal} bytes; run again to resume`,
      );
    }
    return resuming;
  } catch (error) {
    if (error instanceof RuntimeFailure || error instanceof InputError) throw error;
    if (controller.signal.aborted && request.signal?.aborted)
      throw new RuntimeFailure(`download of ${request.url} cancelled`);
    if (controller.signal.aborted) {
      throw new RuntimeFailure(
        `download of ${request.url} timed out: no data for ${timeoutMs} ms; run again to resume`,
      );
    }
    const got = offset + received;
    const of = expectedTotal === undefined ? "" : ` of ${expectedTotal}`;
    throw new RuntimeFailure(
      `download of ${request.url} truncated: connection closed after ${got}${of} bytes; run again to resume`,
    );
  } finally {
    clearTimeout(timer);
    request.signal?.removeEventListener("abort", onOuterAbort);
  }
}

/** Above this many bytes read but not yet written, reading waits for the disk. */
const maxUnwrittenBytes = 8 * 1024 * 1024;

/**
 * Reads `body` into the file `opening` resolves to, keeping every byte that arrived. A stream that
 * errors drops the chunks still queued in it, so a read is always pending: reading starts before the
 * file is open, and each chunk is handed to a chain of writes while the next read is already waiting.
 * A connection that drops while the file opens or a write is under way therefore loses nothing that
 * reached us. `progress.read` is told of every chunk read (the inactivity timeout), `progress.kept` of
 * the bytes on disk, which is where a resume starts.
 */
export async function keepBody(
  body: ReadableStream<Uint8Array> | null,
  partialPath: string,
  opening: Promise<FileHandle>,
  progress: { read: () => void; kept: (bytes: number) => void },
): Promise<void> {
  // Awaited below; until then a file that cannot be opened must not count as an unhandled rejection.
  opening.catch(() => undefined);
  let writes: Promise<unknown> = opening;
  let unwritten = 0;
  let readFailure: unknown;
  const writeChunk = async (chunk: Uint8Array) => {
    const handle = await opening;
    try {
      await handle.write(chunk);
    } catch (error) {
      throw new RuntimeFailure(`cannot write ${partialPath}: ${(error as Error).message}`);
    }
    unwritten -= chunk.byteLength;
    progress.kept(chunk.byteLength);
  };
  if (body) {
    const reader = body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        progress.read();
        unwritten += value.byteLength;
        writes = writes.then(() => writeChunk(value));
        // Awaited below; this only keeps a failed write from counting as unhandled meanwhile.
        writes.catch(() => undefined);
        if (unwritten > maxUnwrittenBytes) await writes;
      }
    } catch (error) {
      readFailure = error;
      await reader.cancel().catch(() => undefined);
    }
  }
  try {
    await writes;
  } finally {
    await (await opening.catch(() => undefined))?.close();
  }
  if (readFailure !== undefined) throw readFailure;
}

async function fetchFollowingRedirects(request: DownloadRequest, offset: number, signal: AbortSignal) {
  let url = assertAllowedUrl(request.url, "download");
  const maxRedirects = request.maxRedirects ?? 5;
  for (let hop = 0; hop <= maxRedirects; hop++) {
    const headers: Record<string, string> = { "user-agent": "distillscope" };
    if (offset > 0) headers.range = `bytes=${offset}-`;
    let response: Response;
    try {
      const dispatcher = downloadDispatcher();
      response = await fetch(url, {
        redirect: "manual",
        signal,
        headers,
        ...(dispatcher ? { dispatcher } : {}),
      });
    } catch (error) {
      if (signal.aborted) throw error;
      throw new RuntimeFailure(
        `download of ${request.url} failed: ${(error as Error).cause ?? (error as Error).message}`,
      );
    }
    if (response.status >= 300 && response.status < 400) {
      const location = response.headers.get("location");
      await response.body?.cancel();
      if (!location)
        throw new RuntimeFailure(`download of ${request.url}: redirect without a Location header`);
      url = redirectTarget(url, location, `download of ${request.url} redirected`);
      continue;
    }
    if (response.status === 404) {
      await response.body?.cancel();
      throw new RuntimeFailure(
        `download of ${request.url} failed: 404 not found (check the model or file name)`,
      );
    }
    if (response.status === 416 && offset > 0) {
      // The partial file is already complete or longer than the remote one: start over.
      await response.body?.cancel();
      rmSync(`${safeCachePath(request.cacheDirectory, request.relativePath)}.partial`, { force: true });
      return fetchFollowingRedirects(request, 0, signal);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new RuntimeFailure(
        `download of ${request.url} failed: HTTP ${response.status} ${response.statusText}`,
      );
    }
    return response;
  }
  throw new RuntimeFailure(`download of ${request.url}: more than ${maxRedirects} redirects`);
}

/** The whole file's length the response promises, when it says. */
function expectedLength(response: Response, resuming: boolean): number | undefined {
  if (resuming) {
    const total = /\/(\d+)$/.exec(response.headers.get("content-range") ?? "")?.[1];
    return total === undefined ? undefined : Number(total);
  }
  const length = response.headers.get("content-length");
  return length === null ? undefined : Number(length);
}

function verifyContent(path: string, check: ContentCheck, url: string): void {
  if (check === "none") return;
  const text = readFileSync(path, "utf8");
  try {
    if (check === "json") JSON.parse(text);
    else {
      for (const line of text.split("\n")) if (line.trim() !== "") JSON.parse(line);
    }
  } catch {
    throw new RuntimeFailure(
      `download of ${url}: the file is not valid ${check.toUpperCase()} (truncated or corrupt)`,
    );
  }
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
