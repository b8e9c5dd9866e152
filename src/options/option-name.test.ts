import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../errors.ts";
import { checkWholeNumberOption, optionName } from "./option-name.ts";

test("an option is named as the library caller and the CLI user each know it", () => {
  assert.equal(optionName("alpha", "--alpha"), "alpha (--alpha)");
  assert.equal(optionName("requestsPerMinute", "--rpm"), "requestsPerMinute (--rpm)");
});

test("whole numbers below the minimum, fractions, strings and nothing are InputErrors naming the option", () => {
  checkWholeNumberOption(0, "seed (--seed)", 0);
  checkWholeNumberOption(7, "seed (--seed)", 0);
  for (const [value, shown] of [
    [-1, "-1"],
    [1.5, "1.5"],
    ["3", '"3"'],
    [Number.NaN, "NaN"],
    [undefined, "nothing"],
  ] as const)
    assert.throws(
      () => checkWholeNumberOption(value, "seed (--seed)", 0),
      (error: unknown) =>
        error instanceof InputError &&
        error.message === `seed (--seed) must be a whole number >= 0, got ${shown}`,
    );
});
