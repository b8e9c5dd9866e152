import assert from "node:assert/strict";
import { test } from "node:test";
import { SettingError } from "../errors.ts";
import { ConfigFieldError, modelFor } from "./models.ts";

test("a bad proxy variable is reported as itself, not as a fault of the config entry that met it first", () => {
  for (const [proxy, message] of [
    ["ftp://127.0.0.1:21", /^HTTPS_PROXY uses ftp: proxies, which are not supported/],
    ["http://a b", /^HTTPS_PROXY is not a proxy URL; set it like http:\/\/proxy\.example:3128$/],
  ] as const) {
    assert.throws(
      () =>
        modelFor(
          "openai:gpt-4o-mini",
          { "base-url": "https://api.example.com/v1" },
          { OPENAI_API_KEY: "sk-test", HTTPS_PROXY: proxy },
          "targets[0]",
        ),
      (error: unknown) =>
        error instanceof SettingError && !(error instanceof ConfigFieldError) && message.test(error.message),
    );
  }
});

test("a fault of the entry itself still carries the entry's field path", () => {
  assert.throws(
    () =>
      modelFor(
        "openai:gpt-4o-mini",
        { "base-url": "not a url" },
        { OPENAI_API_KEY: "sk-test" },
        "targets[2]",
      ),
    (error: unknown) => error instanceof ConfigFieldError && /^targets\[2\]: /.test(error.message),
  );
});
