import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { InputError } from "../../errors.ts";
import { loadShareGpt } from "./sharegpt.ts";

const folder = mkdtempSync(join(tmpdir(), "sharegpt-"));
after(() => rmSync(folder, { recursive: true, force: true }));
function file(name: string, text: string): string {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
}
const inputError = (message: RegExp) => (error: unknown) =>
  error instanceof InputError && message.test(error.message);

const conversation = (id: string, ...turns: Array<[string, string]>) => ({
  id,
  conversations: turns.map(([from, value]) => ({ from, value })),
});

describe("ShareGPT as JSON Lines (one conversation per line)", () => {
  it("reads a .jsonl file like the array, with the same skips", async () => {
    const lines = [
      conversation("a", ["human", "first"], ["gpt", "recorded"], ["human", "second"]),
      conversation("b", ["gpt", "Hello, how can I help?"], ["human", "Explain tides."]),
      conversation("c", ["gpt", "only the assistant"]),
      conversation("d", ["system", "You are terse."], ["human", "Name a prime."]),
    ];
    const path = file("sharegpt.jsonl", `${lines.map((line) => JSON.stringify(line)).join("\n")}\n\n`);
    const set = await loadShareGpt(path);
    assert.deepEqual(
      set.prompts.map((prompt) => [prompt.id, prompt.turns, prompt.system]),
      [
        ["a", ["first", "second"], undefined],
        ["b", ["Explain tides."], undefined],
        ["d", ["Name a prime."], "You are terse."],
      ],
    );
    assert.deepEqual(set.skipped, { "no human turn": 1 });
  });
  it("names the line and field of a malformed conversation in a .jsonl file", async () => {
    const path = file(
      "sharegpt-bad.jsonl",
      `${JSON.stringify(conversation("a", ["human", "x"]))}\n${JSON.stringify({ id: "b", conversations: [{ from: "human" }] })}\n`,
    );
    await assert.rejects(
      loadShareGpt(path),
      inputError(/sharegpt-bad\.jsonl:2: conversation 1 conversations\[0\]: field "value" must be a string/),
    );
  });
  it("tells how to read a one-per-line file that is not named .jsonl", async () => {
    const path = file("sharegpt-lines.json", `${JSON.stringify(conversation("a", ["human", "x"]))}\n`);
    await assert.rejects(
      loadShareGpt(path),
      inputError(/sharegpt-lines\.json:1: expected a JSON array, found an object; .* name ends in \.jsonl/),
    );
  });
});
