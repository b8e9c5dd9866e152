import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../errors.ts";
import { checkJudgeFlag } from "./judge-flag.ts";

test("--judge takes embedded or a provider:model id; a misspelt embedded is named", () => {
  assert.equal(checkJudgeFlag("embedded"), "embedded");
  assert.equal(checkJudgeFlag("openai:gpt-4o-mini"), "openai:gpt-4o-mini");
  assert.throws(
    () => checkJudgeFlag("embeded"),
    (error: unknown) =>
      error instanceof InputError &&
      error.message ===
        '--judge "embeded" is neither embedded nor a model id provider:model such as openai:gpt-4o-mini (did you mean "embedded"?)',
  );
  assert.throws(() => checkJudgeFlag("gpt-4o-mini"), /^InputError: --judge "gpt-4o-mini" is neither .*mini$/);
});
