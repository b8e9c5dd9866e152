import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { InputError, RuntimeFailure } from "../errors.ts";
import { assertAllowedUrl, downloadFile, keepBody, safeCachePath } from "./download.ts";
import { checkModelName, downloadAlpacaEval, downloadLee2025 } from "./download-sources.ts";

const okBody = JSON.stringify([{ instruction: "Say hi", output: "Hi!", generator: "tiny" }]);
const rangeBody = JSON.stringify({ text: "x".repeat(4000) });
let server: Server;
let base: string;
const hits = new Map<string, number>();
const flakyServed = { count: 0 };
/** The `.partial` file of the download under way, so the server can drop the connection once it holds some bytes. */
const client = { partialPath: "" };

/**
 * Drops the connection once the client has kept `bytes` bytes in its `.partial` file (or after 5 s),
 * so a test of what happens after a drop does not depend on how fast a busy machine reads.
 */
function dropOnceKept(response: ServerResponse, bytes: number): void {
  const started = Date.now();
  const poll = () => {
    const kept = existsSync(client.partialPath) ? statSync(client.partialPath).size : 0;
    if (kept >= bytes || Date.now() - started > 5000) response.socket?.destroy();
    else setTimeout(poll, 5);
  };
  poll();
}

function handle(request: IncomingMessage, response: ServerResponse): void {
  const path = new URL(request.url ?? "/", "http://x").pathname;
  hits.set(path, (hits.get(path) ?? 0) + 1);
  const send = (status: number, body: string, headers: Record<string, string> = {}) => {
    response.writeHead(status, { "content-length": String(Buffer.byteLength(body)), ...headers });
    response.end(body);
  };
  const shared = /^\/data\/shared\/(ok|miss)-\d+\.jsonl$/.exec(path);
  if (shared) {
    // Misses answer first, while downloads into the same folder are still waiting for their body.
    if (shared[1] === "miss") setTimeout(() => send(404, "not found"), 2);
    else setTimeout(() => send(200, '{"a":1}\n'), 25);
    return;
  }
  switch (path) {
    case "/ok.json":
    case "/results/tiny/model_outputs.json":
    case "/data/attack_result/a.jsonl":
      send(200, path.endsWith(".jsonl") ? '{"a":1}\n{"a":2}\n' : okBody);
      return;
    case "/bad.json":
      send(200, '{"not": json');
      return;
    case "/truncated.json":
      response.writeHead(200, { "content-length": "1000" });
      response.write(okBody.slice(0, 20));
      dropOnceKept(response, 20);
      return;
    case "/flaky.json": {
      const range = /bytes=(\d+)-/.exec(request.headers.range ?? "");
      if (range) {
        const start = Number(range[1]);
        const rest = rangeBody.slice(start);
        send(206, rest, { "content-range": `bytes ${start}-${rangeBody.length - 1}/${rangeBody.length}` });
        return;
      }
      flakyServed.count++;
      response.writeHead(200, { "content-length": String(rangeBody.length) });
      response.write(rangeBody.slice(0, 1500));
      dropOnceKept(response, 1500);
      return;
    }
    case "/hang.json":
      return; // never answers
    case "/to-file":
      send(302, "", { location: "file:///etc/passwd" });
      return;
    case "/to-ftp":
      send(301, "", { location: "ftp://127.0.0.1/ok.json" });
      return;
    case "/to-ok":
      send(302, "", { location: "/ok.json" });
      return;
    default:
      send(404, "not found");
  }
}

before(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function cache(): string {
  return mkdtempSync(join(tmpdir(), "distillscope-download-"));
}

test("downloads, verifies JSON, writes atomically and then serves from the cache", async () => {
  const directory = cache();
  const first = await downloadFile({
    url: `${base}/ok.json`,
    relativePath: "a/ok.json",
    cacheDirectory: directory,
    check: "json",
  });
  assert.equal(first.cached, false);
  assert.equal(readFileSync(first.path, "utf8"), okBody);
  assert.equal(first.sha256, createHash("sha256").update(okBody).digest("hex"));
  assert.equal(existsSync(`${first.path}.partial`), false);
  const before = hits.get("/ok.json");
  const second = await downloadFile({
    url: `${base}/ok.json`,
    relativePath: "a/ok.json",
    cacheDirectory: directory,
    check: "json",
  });
  assert.equal(second.cached, true);
  assert.equal(hits.get("/ok.json"), before, "a cached file is not fetched again");
});

test("a wrong SHA-256 is rejected and nothing is left in place", async () => {
  const directory = cache();
  await assert.rejects(
    downloadFile({
      url: `${base}/ok.json`,
      relativePath: "ok.json",
      cacheDirectory: directory,
      sha256: "0".repeat(64),
    }),
    (error: Error) => error instanceof RuntimeFailure && /SHA-256 .* does not match/.test(error.message),
  );
  assert.equal(existsSync(join(directory, "ok.json")), false);
  assert.equal(existsSync(join(directory, "ok.json.partial")), false);
});

test("404, invalid JSON, a truncated body and a timeout each give a clear error", async () => {
  const directory = cache();
  const attempt = (path: string, timeoutMs = 10_000) =>
    downloadFile({
      url: `${base}${path}`,
      relativePath: "f.json",
      cacheDirectory: directory,
      check: "json",
      timeoutMs,
    });
  await assert.rejects(attempt("/nope.json"), /404 not found/);
  await assert.rejects(attempt("/bad.json"), /not valid JSON \(truncated or corrupt\)/);
  client.partialPath = join(directory, "f.json.partial");
  await assert.rejects(attempt("/truncated.json"), (error: Error) => {
    assert.ok(error instanceof RuntimeFailure);
    assert.match(error.message, /truncated: connection closed after 20 of 1000 bytes/);
    return true;
  });
  await assert.rejects(attempt("/hang.json", 300), /timed out: no data for 300 ms/);
  assert.equal(existsSync(join(directory, "f.json")), false);
});

test("an interrupted download is resumed with a Range request", async () => {
  const directory = cache();
  const request = {
    url: `${base}/flaky.json`,
    relativePath: "flaky.json",
    cacheDirectory: directory,
    check: "json" as const,
  };
  client.partialPath = join(directory, "flaky.json.partial");
  await assert.rejects(downloadFile(request), /truncated/);
  assert.equal(readFileSync(join(directory, "flaky.json.partial"), "utf8").length, 1500);
  const outcome = await downloadFile(request);
  assert.equal(outcome.resumed, true);
  assert.equal(readFileSync(outcome.path, "utf8"), rangeBody);
  assert.equal(flakyServed.count, 1, "the first 1500 bytes were not fetched twice");
});

test("bytes that arrived are kept when the stream fails while the file is still opening", async () => {
  const directory = cache();
  const path = join(directory, "slow-open.partial");
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  const body = new ReadableStream<Uint8Array>({ start: (c) => (controller = c) });
  const kept: number[] = [];
  // The file opens only after 60 ms; the stream gets two chunks and then fails at 20 ms. A reader that
  // waited for the file would find the stream failed and its queue emptied.
  const opening = new Promise<FileHandle>((resolve) => setTimeout(() => resolve(open(path, "w")), 60));
  controller?.enqueue(new TextEncoder().encode("first "));
  setTimeout(() => {
    controller?.enqueue(new TextEncoder().encode("second"));
    controller?.error(new Error("connection reset"));
  }, 20);
  await assert.rejects(
    keepBody(body, path, opening, { read: () => {}, kept: (bytes) => kept.push(bytes) }),
    /connection reset/,
  );
  assert.equal(readFileSync(path, "utf8"), "first second");
  assert.deepEqual(kept, [6, 6]);
});

test("redirects are followed only to https or loopback http; file: and ftp: are refused", async () => {
  const directory = cache();
  const outcome = await downloadFile({
    url: `${base}/to-ok`,
    relativePath: "r.json",
    cacheDirectory: directory,
  });
  assert.equal(readFileSync(outcome.path, "utf8"), okBody);
  await assert.rejects(
    downloadFile({ url: `${base}/to-file`, relativePath: "x", cacheDirectory: directory }),
    /redirected: refusing file URL/,
  );
  await assert.rejects(
    downloadFile({ url: `${base}/to-ftp`, relativePath: "x", cacheDirectory: directory }),
    /redirected: refusing ftp URL/,
  );
  assert.throws(() => assertAllowedUrl("http://example.com/x", "download"), /only https/);
  assert.equal(assertAllowedUrl("https://example.com/x", "download").hostname, "example.com");
});

test("no path or model name can escape the cache directory", () => {
  const directory = cache();
  for (const bad of ["../../x", "/etc/passwd", "a/../../b", "a\\..\\b", "", "a//b"]) {
    assert.throws(() => safeCachePath(directory, bad), InputError, bad);
  }
  assert.equal(safeCachePath(directory, "a/b.json"), join(directory, "a", "b.json"));
  for (const bad of ["../../x", "..", "a/b", ".hidden", "x..y"])
    assert.throws(() => checkModelName(bad), InputError, bad);
  assert.equal(checkModelName("gpt-3.5-turbo-0301"), "gpt-3.5-turbo-0301");
});

test("corpus downloads use the overridable base URL, keep going past a 404 and lay files out like the repository", async () => {
  const home = cache();
  const alpaca = await downloadAlpacaEval({
    home,
    models: ["tiny", "absent-model"],
    environment: { DISTILLSCOPE_ALPACAEVAL_BASE: `${base}/results/` },
  });
  assert.deepEqual(
    alpaca.downloaded.map((entry) => entry.file),
    ["tiny/model_outputs.json"],
  );
  assert.equal(alpaca.failed.length, 1);
  assert.match(alpaca.failed[0]?.error.message ?? "", /absent-model.*404/);
  assert.equal(
    existsSync(join(alpaca.directory, "absent-model")),
    false,
    "no empty folder for a missing model",
  );
  assert.equal(readFileSync(join(alpaca.directory, "tiny", "model_outputs.json"), "utf8"), okBody);
  await assert.rejects(downloadAlpacaEval({ home, models: ["../../etc"], baseUrl: base }), InputError);
  await assert.rejects(
    downloadLee2025({ home, baseUrl: `${base}/data`, files: ["attack_result/missing.jsonl"] }),
    /could not download any file/,
  );
  const lee = await downloadLee2025({ home, baseUrl: `${base}/data`, files: ["attack_result/a.jsonl"] });
  assert.equal(readFileSync(join(lee.directory, "attack_result", "a.jsonl"), "utf8"), '{"a":1}\n{"a":2}\n');
});

test("a 404 in a folder never removes it from under a parallel download into the same folder", async () => {
  // All files start at once, so no later download re-creates a folder an early 404 removed.
  const files = Array.from({ length: 8 }, (_, index) =>
    index % 2 === 0 ? `shared/miss-${index}.jsonl` : `shared/ok-${index}.jsonl`,
  );
  const result = await downloadLee2025({ home: cache(), baseUrl: `${base}/data`, files, parallel: 8 });
  assert.deepEqual(
    result.failed.map((entry) => entry.file).filter((file) => file.includes("/ok-")),
    [],
    "every file the server has arrives",
  );
  assert.equal(result.downloaded.length, 4);
  assert.equal(result.failed.length, 4);
  for (const entry of result.downloaded) assert.equal(readFileSync(entry.outcome.path, "utf8"), '{"a":1}\n');
  const empty = await downloadLee2025({
    home: cache(),
    baseUrl: `${base}/data`,
    files: ["shared/miss-0.jsonl", "attack_result/a.jsonl"],
  });
  assert.equal(existsSync(join(empty.directory, "shared")), false, "no empty folder for a missing file");
});

test("a cached file with the wrong hash is fetched again", async () => {
  const directory = cache();
  writeFileSync(join(directory, "ok.json"), "stale");
  const sha256 = createHash("sha256").update(okBody).digest("hex");
  const outcome = await downloadFile({
    url: `${base}/ok.json`,
    relativePath: "ok.json",
    cacheDirectory: directory,
    sha256,
  });
  assert.equal(outcome.cached, false);
  assert.equal(readFileSync(outcome.path, "utf8"), okBody);
});
