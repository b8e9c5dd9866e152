import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../errors.ts";
import { checkPathArgument } from "./path-argument.ts";

test("anything but a non-empty string is an InputError naming what the path is for", () => {
  for (const [value, shown] of [
    [undefined, "nothing"],
    [null, "null"],
    ["", '""'],
    [42, "42"],
  ] as const)
    assert.throws(
      () => checkPathArgument(value, "home"),
      (error: unknown) =>
        error instanceof InputError && error.message === `home must be a path, got ${shown}`,
    );
  assert.doesNotThrow(() => checkPathArgument("./x", "home"));
});
