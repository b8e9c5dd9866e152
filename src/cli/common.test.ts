import assert from "node:assert/strict";
import { resolve } from "node:path";
import { test } from "node:test";
import { InputError } from "../errors.ts";
import { parseModelOptions, resolveHome } from "./common.ts";

test("home: --home, then DISTILLSCOPE_HOME, then ./.distillscope", () => {
  assert.equal(resolveHome({ home: "/tmp/a" }, { DISTILLSCOPE_HOME: "/tmp/b" }), "/tmp/a");
  assert.equal(resolveHome({}, { DISTILLSCOPE_HOME: "/tmp/b" }), "/tmp/b");
  assert.equal(resolveHome({}, {}), resolve(".distillscope"));
});

test("model flags parse to numbers and reject nonsense naming the flag", () => {
  assert.deepEqual(parseModelOptions({ concurrency: "4", timeoutMs: "500", rpm: "60", tpm: "1000" }), {
    concurrency: 4,
    timeoutMs: 500,
    requestsPerMinute: 60,
    tokensPerMinute: 1000,
  });
  assert.throws(
    () => parseModelOptions({ concurrency: "0" }),
    (error: unknown) => error instanceof InputError && /--concurrency/.test(error.message),
  );
  assert.throws(() => parseModelOptions({ baseUrl: "not a url" }), /--base-url/);
});
