/**
 * The manifest `verify` reads: a manifest.json inside the folder that is a symbolic link is never
 * followed, and no JSON error quotes the file (only its name and the position).
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { InputError } from "../errors.ts";
import { verifyManifest } from "./manifest.ts";
import { jsonErrorOffset, readManifestJson } from "./read-manifest-file.ts";

const scratch = mkdtempSync(join(tmpdir(), "distillscope-read-manifest-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

const secretText = "PRIVATE-NOTES ssh-password=hunter2-0f9e8d\nnot json at all\n";

/** A report folder whose manifest.json is a link to a private, non-JSON file outside it. */
function folderWithLinkedManifest(name: string): { folder: string; outside: string } {
  const folder = join(scratch, name);
  mkdirSync(folder);
  const outside = join(scratch, `${name}-private.txt`);
  writeFileSync(outside, secretText);
  symlinkSync(outside, join(folder, "manifest.json"));
  return { folder, outside };
}

function inputError(pattern: RegExp): (error: unknown) => boolean {
  return (error: unknown) => {
    assert.ok(error instanceof InputError, String(error));
    assert.match(error.message, pattern);
    assert.doesNotMatch(error.message, /PRIVATE|hunter2|not json/);
    return true;
  };
}

test("verify <dir> refuses a manifest.json that is a symbolic link out of the folder, without reading it", async () => {
  const { folder } = folderWithLinkedManifest("linked");
  await assert.rejects(
    verifyManifest(folder),
    inputError(/manifest\.json: is a symbolic link, which verify does not follow inside a report folder/),
  );
});

test("a manifest file named by path may be a link (the user chose it); its JSON error names the position only", async () => {
  const { folder } = folderWithLinkedManifest("named");
  await assert.rejects(
    verifyManifest(join(folder, "manifest.json")),
    inputError(/manifest\.json: invalid JSON \(at line 1, column 1\); the manifest was edited/),
  );
});

test("JSON errors give line and column, never the text, whatever V8's message says", () => {
  const cases: Array<[string, RegExp]> = [
    ['{"manifestVersion": 2,\n "files": [PRIVATE]}', /at line 2, column 12\)/],
    ['{"files": [1, 2,]}', /at line 1, column 17\)/],
    ['{"files": "PRIVATE', /ends too early/],
    ['{"a": 1} PRIVATE', /at line 1, column 10\)/],
  ];
  for (const [index, [text, where]] of cases.entries()) {
    const path = join(scratch, `bad-${index}.json`);
    writeFileSync(path, text);
    assert.throws(() => readManifestJson(path, false), inputError(where));
  }
});

test("jsonErrorOffset finds the offending character when V8 names no position", () => {
  const text = `{"a": [1, 2, 3], "b": ${"x".repeat(3)}}`;
  try {
    JSON.parse(text);
    assert.fail("the text is not JSON");
  } catch (error) {
    assert.doesNotMatch((error as Error).message, /position/);
    assert.equal(jsonErrorOffset(text, error), text.indexOf("x"));
  }
});

test("a folder in the manifest's place is refused as not a regular file", () => {
  const folder = join(scratch, "not-a-file");
  mkdirSync(join(folder, "manifest.json"), { recursive: true });
  assert.throws(
    () => readManifestJson(join(folder, "manifest.json"), false),
    inputError(/not a regular file/),
  );
});
