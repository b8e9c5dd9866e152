import assert from "node:assert/strict";
import test from "node:test";
import { redactSecrets, secretValues } from "./redact.ts";

test("values of key-like environment variables and key-shaped tokens are redacted", () => {
  const environment = {
    OPENAI_API_KEY: "plain-secret-value",
    HOME: "/home/user",
    GITHUB_TOKEN: "ghp_abc123",
  };
  assert.deepEqual(secretValues(environment).sort(), ["ghp_abc123", "plain-secret-value"]);
  const line = redactSecrets(
    "key plain-secret-value, sk-abcdefgh12345, Authorization: Bearer xyz.123 at /home/user",
    environment,
  );
  assert.equal(line, "key [redacted], [redacted], Authorization: Bearer [redacted] at /home/user");
});
