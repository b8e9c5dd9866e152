import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { InputError } from "../errors.ts";
import { readLinesSync } from "./read-lines-sync.ts";
import { decodeUtf8, firstBadLine, Utf8LineSplitter } from "./utf8.ts";

const folder = mkdtempSync(join(tmpdir(), "distillscope-utf8-"));
after(() => rmSync(folder, { recursive: true, force: true }));

const bytes = (...parts: Array<string | number[]>): Buffer =>
  Buffer.concat(parts.map((part) => (typeof part === "string" ? Buffer.from(part) : Buffer.from(part))));

describe("strict UTF-8", () => {
  it("decodes valid text, keeping a BOM and a literal U+FFFD", () => {
    assert.equal(decodeUtf8(bytes("\uFEFFcafé �\n你好"), "f.json"), "\uFEFFcafé �\n你好");
  });
  it("names the file and the line of a Latin-1 byte", () => {
    assert.throws(
      () => decodeUtf8(bytes("ok\nfine\ncaf", [0xe9], "\n"), "f.json"),
      (error: unknown) =>
        error instanceof InputError && error.message === "f.json:3: not UTF-8; re-save it as UTF-8",
    );
    assert.throws(() => decodeUtf8(bytes("a\n", [0xe2, 0x82]), "g.json", 10), /g\.json:11: not UTF-8/);
  });
  it("finds the bad line, letting a stream chunk start or end inside a character", () => {
    const euro = [0xe2, 0x82, 0xac];
    assert.equal(firstBadLine(bytes([0x82, 0xac], "x\ny\n", euro.slice(0, 2)), true), undefined);
    assert.equal(firstBadLine(bytes([0x82, 0xac], "x\ny\n", euro.slice(0, 2))), 0);
    assert.equal(firstBadLine(bytes("x\ny", [0xff], "\nz")), 1);
  });
  it("splits lines across chunks and names the line of a bad byte in a later chunk", () => {
    const splitter = new Utf8LineSplitter("s.jsonl");
    const lines = [
      ...splitter.push(bytes("\uFEFFone\r\ntw", [0xc3])),
      ...splitter.push(bytes([0xa9], "o\n")),
    ];
    assert.deepEqual(lines, [
      [1, "one"],
      [2, "twéo"],
    ]);
    assert.throws(() => [...splitter.push(bytes("three\nfo", [0xff], "ur\n"))], /s\.jsonl:4: not UTF-8/);
  });
  it("a lone CR ends a line only when asked", () => {
    const asked = new Utf8LineSplitter("c.jsonl", { loneCarriageReturn: true });
    assert.deepEqual(
      [...asked.push(bytes("a\rb\r\nc")), ...asked.push(undefined)],
      [
        [1, "a"],
        [2, "b"],
        [3, "c"],
      ],
    );
    const plain = new Utf8LineSplitter("c.jsonl");
    assert.deepEqual(
      [...plain.push(bytes("a\rb\r\nc")), ...plain.push(undefined)],
      [
        [1, "a\rb"],
        [2, "c"],
      ],
    );
  });
  it("an unfinished character at the end of the input is named", () => {
    const splitter = new Utf8LineSplitter("e.jsonl");
    assert.deepEqual([...splitter.push(bytes("a\nb", [0xe4, 0xbd]))], [[1, "a"]]);
    assert.throws(() => [...splitter.push(undefined)], /e\.jsonl:2: not UTF-8/);
  });
  it("readLinesSync names the line of a bad byte past the first 1 MiB chunk", () => {
    const file = join(folder, "big.jsonl");
    const line = `${"x".repeat(999)}\n`; // 1,000 bytes a line: line 1,500 lies in the second chunk
    writeFileSync(file, bytes(line.repeat(1_499), "caf", [0xe9], "\n", line));
    assert.throws(
      () => [...readLinesSync(file)],
      (error: unknown) =>
        error instanceof InputError && error.message === `${file}:1500: not UTF-8; re-save it as UTF-8`,
    );
  });
});
