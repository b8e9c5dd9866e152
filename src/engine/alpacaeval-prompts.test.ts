import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { InputError } from "../errors.ts";
import { readPromptFile } from "./prompts.ts";

const scratch = mkdtempSync(join(tmpdir(), "distillscope-alpacaeval-prompts-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

function jsonFile(name: string, content: string): string {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
}

test("a .json prompt file is AlpacaEval's list: each instruction asked verbatim, ids by position", async () => {
  // As alpaca_eval.json holds them: trailing newlines and double spaces are kept, so lineage aligns.
  const rows = [
    {
      instruction: "What are the names of some famous actors?\n",
      output: "",
      generator: "gpt4",
      dataset: "helpful_base",
    },
    { instruction: "Write  a haiku", output: "x", generator: "gpt4", dataset: "vicuna" },
    {
      instruction: "What are the names of some famous actors?\n",
      output: "",
      generator: "gpt4",
      dataset: "helpful_base",
    },
  ];
  const entries = await readPromptFile(jsonFile("alpaca_eval.json", `\uFEFF${JSON.stringify(rows)}`));
  assert.deepEqual(entries, [
    {
      id: "0",
      messages: [{ role: "user", content: "What are the names of some famous actors?\n" }],
      line: 1,
    },
    { id: "1", messages: [{ role: "user", content: "Write  a haiku" }], line: 2 },
  ]);
});

test("a .json prompt file that is not an AlpacaEval list is one clear InputError", async () => {
  const cases: Array<[string, RegExp]> = [
    ["{not json", /not valid JSON; a \.json prompt file must be an AlpacaEval list/],
    ['{"instruction": "x"}', /expected a JSON list of \{"instruction": "\.\.\."\}/],
    ['[{"instruction": "x"}, {"output": "y"}]', /item 1 has no non-empty string "instruction"/],
    ["[]", /the list is empty/],
  ];
  for (const [content, pattern] of cases)
    await assert.rejects(
      readPromptFile(jsonFile("bad.json", content)),
      (error: unknown) => error instanceof InputError && pattern.test(error.message),
      content,
    );
  await assert.rejects(
    readPromptFile(join(scratch, "missing.json")),
    /cannot read the prompt file \(ENOENT\)/,
  );
});
