import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { InputError } from "../../errors.ts";
import { loadShareGpt, shareGptSystemCut } from "./sharegpt.ts";
import { shortenedNotes } from "./shortened-notes.ts";

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

describe("ShareGPT system turns", () => {
  it("joins the leading ones into the system prompt and cuts a conversation at a later one, counted", async () => {
    const path = file(
      "sharegpt-system.json",
      JSON.stringify([
        conversation(
          "leading",
          ["system", "You are terse."],
          ["system", "Answer in French."],
          ["human", "Hi."],
        ),
        conversation(
          "middle",
          ["system", "You are terse."],
          ["human", "first"],
          ["gpt", "recorded"],
          ["system", "From now on, answer in French."],
          ["human", "second"],
          ["gpt", "recorded"],
          ["system", "Another one."],
          ["human", "third"],
        ),
        conversation("trailing", ["human", "only"], ["gpt", "recorded"], ["system", "Rate the answer."]),
        conversation("blank", ["human", "kept"], ["system", "  "], ["human", "also kept"]),
        // A duplicate id is skipped before it could be counted as shortened.
        conversation("middle", ["human", "again"], ["system", "x"], ["human", "dropped"]),
      ]),
    );
    const set = await loadShareGpt(path);
    assert.deepEqual(
      set.prompts.map((prompt) => [prompt.id, prompt.turns, prompt.system]),
      [
        ["leading", ["Hi."], "You are terse.\n\nAnswer in French."],
        ["middle", ["first"], "You are terse."],
        ["trailing", ["only"], undefined],
        ["blank", ["kept", "also kept"], undefined],
      ],
    );
    assert.deepEqual(set.shortened, { [shareGptSystemCut]: 2 });
    assert.deepEqual(set.skipped, { "duplicate id": 1 });
    assert.deepEqual(shortenedNotes(set), [
      `sharegpt (${path}): 2 conversation(s) of the file cut at a system turn after a human turn: the human turns before it are replayed; that system turn and the turns after it are sent to no model (counted in "prompts" of the result)`,
    ]);
  });
  it("still checks the turns after the cut", async () => {
    const path = file(
      "sharegpt-system-bad.json",
      JSON.stringify([conversation("a", ["human", "x"], ["system", "y"], ["narrator", "z"])]),
    );
    await assert.rejects(loadShareGpt(path), inputError(/conversations\[2\]: unknown speaker "narrator"/));
  });
  it("says nothing when no conversation is shortened", async () => {
    const path = file("sharegpt-plain.json", JSON.stringify([conversation("a", ["human", "x"])]));
    const set = await loadShareGpt(path);
    assert.equal(set.shortened, undefined);
    assert.deepEqual(shortenedNotes(set), []);
  });
});
