import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { InputError } from "../errors.ts";
import { readPromptFile } from "./prompts.ts";

const scratch = mkdtempSync(join(tmpdir(), "distillscope-prompts-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

function promptFile(text: string): string {
  const path = join(scratch, "prompts.jsonl");
  writeFileSync(path, text);
  return path;
}

async function rejectsWith(text: string, pattern: RegExp): Promise<void> {
  await assert.rejects(
    readPromptFile(promptFile(text)),
    (error: unknown) => error instanceof InputError && pattern.test(error.message),
  );
}

test("reads prompt and messages lines, with an optional system message, skipping blank lines", async () => {
  const entries = await readPromptFile(
    promptFile(
      `{"id":"a","prompt":"hi"}\n\n{"id":"b","messages":[{"role":"user","content":"x"}],"system":"be brief"}\n`,
    ),
  );
  assert.deepEqual(entries, [
    { id: "a", messages: [{ role: "user", content: "hi" }], line: 1 },
    {
      id: "b",
      messages: [
        { role: "system", content: "be brief" },
        { role: "user", content: "x" },
      ],
      line: 3,
    },
  ]);
});

test("each bad input is one line naming file and line", async () => {
  await rejectsWith('{"id":"a","prompt":"x"}\n{nope\n', /^prompts\.jsonl:2: bad JSON/);
  await rejectsWith('{"prompt":"x"}\n', /^prompts\.jsonl:1: missing "id"/);
  await rejectsWith(
    '{"id":"a","prompt":"x"}\n{"id":"a","prompt":"y"}\n',
    /^prompts\.jsonl:2: duplicate id "a" \(first on line 1\)/,
  );
  await rejectsWith("", /^prompts\.jsonl:1: the file has no prompts/);
  await rejectsWith('{"id":"a"}\n', /^prompts\.jsonl:1: needs "prompt"/);
  await rejectsWith('{"id":"a","messages":[{"role":"robot","content":"x"}]}\n', /messages\[0\]\.role/);
  await assert.rejects(
    readPromptFile(join(scratch, "missing.jsonl")),
    /cannot read the prompt file \(ENOENT\); check the prompts path \(--prompts\)$/,
  );
});
