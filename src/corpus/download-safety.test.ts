/**
 * The downloader against a hostile loopback server and a hostile cache: redirects to other schemes
 * (file:, ftp:, data:, javascript:, plain http off this machine, https -> http), redirect loops,
 * truncated bodies, 404s, and names or symbolic links that would write outside the cache directory.
 */
import assert from "node:assert/strict";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve, sep } from "node:path";
import { after, before, test } from "node:test";
import fc from "fast-check";
import { InputError, RuntimeFailure } from "../errors.ts";
import { downloadFile, redirectTarget, safeCachePath } from "./download.ts";

const scratch = mkdtempSync(join(tmpdir(), "distillscope-download-safety-"));
const body = JSON.stringify({ ok: true });
const redirects: Record<string, string> = {
  "/to-data": "data:application/json,{}",
  "/to-javascript": "javascript:alert(1)",
  "/to-file": "file:///etc/hostname",
  "/to-ftp": "ftp://127.0.0.1/x.json",
  "/to-remote-http": "http://example.com/x.json",
  "/to-protocol-relative": "//example.com/x.json",
  "/to-blob": "blob:http://127.0.0.1/x",
  "/to-bad": "http://[not a url",
  "/loop": "/loop",
};
let server: Server;
let base: string;
let requests = 0;

before(async () => {
  server = createServer((request, response) => {
    requests++;
    const path = new URL(request.url ?? "/", "http://x").pathname;
    const location = redirects[path];
    if (location !== undefined) {
      response.writeHead(302, { location, "content-length": "0" });
      response.end();
    } else if (path === "/no-location") {
      response.writeHead(301, { "content-length": "0" });
      response.end();
    } else if (path === "/ok.json") {
      response.writeHead(200, { "content-length": String(body.length) });
      response.end(body);
    } else if (path === "/cut.json") {
      response.writeHead(200, { "content-length": "5000" });
      response.write(body);
      setTimeout(() => response.socket?.destroy(), 10);
    } else {
      response.writeHead(404, { "content-length": "9" });
      response.end("not found");
    }
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((done) => server.close(() => done()));
  rmSync(scratch, { recursive: true, force: true });
});

let cases = 0;
function cache(): string {
  cases++;
  const directory = join(scratch, `cache-${cases}`);
  mkdirSync(directory, { recursive: true });
  return directory;
}

test("redirects to other schemes or off this machine over http are refused, and nothing is written", async () => {
  const expected: Record<string, RegExp> = {
    "/to-data": /refusing data URL/,
    "/to-javascript": /refusing javascript URL/,
    "/to-file": /refusing file URL/,
    "/to-ftp": /refusing ftp URL/,
    "/to-remote-http": /refusing http URL http:\/\/example\.com/,
    "/to-protocol-relative": /refusing http URL http:\/\/example\.com/,
    "/to-blob": /refusing blob URL/,
    "/to-bad": /redirected/,
    "/loop": /more than 5 redirects/,
    "/no-location": /redirect without a Location/,
  };
  for (const [path, message] of Object.entries(expected)) {
    const directory = cache();
    await assert.rejects(
      downloadFile({ url: `${base}${path}`, relativePath: "f.json", cacheDirectory: directory }),
      (error: unknown) => error instanceof RuntimeFailure && message.test(error.message),
      path,
    );
    assert.deepEqual(readdirSync(directory), [], `${path}: nothing left in the cache`);
  }
});

test("an https download may not be redirected down to http, even to this machine", () => {
  const from = new URL("https://example.com/data/a.json");
  assert.throws(
    () => redirectTarget(from, "http://127.0.0.1/a.json", "download"),
    /downgrade from https to http/,
  );
  assert.throws(() => redirectTarget(from, "http://example.com/a.json", "download"), /refusing http URL/);
  assert.equal(redirectTarget(from, "/b.json", "download").href, "https://example.com/b.json");
  assert.equal(redirectTarget(from, "https://cdn.example.org/c", "download").host, "cdn.example.org");
  const loopback = new URL("http://127.0.0.1:9/x");
  assert.equal(redirectTarget(loopback, "/y", "download").href, "http://127.0.0.1:9/y");
});

test("a truncated body and a 404 fail clearly and leave no finished file", async () => {
  const directory = cache();
  await assert.rejects(
    downloadFile({ url: `${base}/cut.json`, relativePath: "cut.json", cacheDirectory: directory }),
    /truncated/,
  );
  assert.equal(existsSync(join(directory, "cut.json")), false);
  await assert.rejects(
    downloadFile({ url: `${base}/missing.json`, relativePath: "m/missing.json", cacheDirectory: directory }),
    /404 not found/,
  );
  assert.equal(existsSync(join(directory, "m")), false);
  const fine = await downloadFile({
    url: `${base}/ok.json`,
    relativePath: "a/ok.json",
    cacheDirectory: directory,
  });
  assert.equal(readFileSync(fine.path, "utf8"), body);
});

test("symbolic links inside the cache are never written through", async () => {
  const directory = cache();
  const outside = join(scratch, `outside-${cases}`);
  mkdirSync(outside);
  symlinkSync(outside, join(directory, "linked-folder"));
  symlinkSync(join(outside, "target.json"), join(directory, "linked-file.json"));
  symlinkSync(join(outside, "partial-target"), join(directory, "p.json.partial"));
  const before = requests;
  for (const relativePath of ["linked-folder/x.json", "linked-file.json", "p.json"]) {
    await assert.rejects(
      downloadFile({ url: `${base}/ok.json`, relativePath, cacheDirectory: directory }),
      (error: unknown) => error instanceof InputError && /symbolic link/.test(error.message),
      relativePath,
    );
  }
  assert.equal(requests, before, "refused before any request");
  assert.deepEqual(readdirSync(outside), [], "nothing was written outside the cache");
  // The cache folder itself may be reached through a link (as /tmp often is).
  const linkedRoot = join(scratch, `root-link-${cases}`);
  symlinkSync(directory, linkedRoot);
  writeFileSync(join(directory, "plain.json"), body);
  assert.equal(safeCachePath(linkedRoot, "plain.json"), join(resolve(linkedRoot), "plain.json"));
});

test("property: any name either stays inside the cache or is an InputError", () => {
  const directory = cache();
  const root = resolve(directory);
  const segment = fc.oneof(
    fc.constantFrom("..", ".", "", "a", "b.json", "..\\x", "/", "%2e%2e", "\u0000", "~", "C:"),
    fc.string({ maxLength: 8 }),
  );
  const outcomes = { inside: 0, refused: 0 };
  fc.assert(
    fc.property(fc.array(segment, { minLength: 1, maxLength: 5 }), fc.boolean(), (segments, absolute) => {
      const name = `${absolute ? "/" : ""}${segments.join("/")}`;
      try {
        const path = safeCachePath(directory, name);
        assert.ok(path.startsWith(root + sep), `${JSON.stringify(name)} -> ${path}`);
        outcomes.inside++;
      } catch (error) {
        assert.ok(error instanceof InputError, `${JSON.stringify(name)}: ${String(error)}`);
        outcomes.refused++;
      }
    }),
    { numRuns: 500, seed: 6 },
  );
  // A function that refused every name would pass the property: both branches must be taken.
  assert.ok(outcomes.inside > 0 && outcomes.refused > 0, JSON.stringify(outcomes));
});
