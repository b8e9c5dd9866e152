import assert from "node:assert/strict";
import test from "node:test";
import { rememberKey } from "./known-keys.ts";
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

test("a remembered token (in no variable) and anything shaped like a JWT are redacted", () => {
  // A Microsoft Entra ID token is remembered when obtained (models/azure-entra-id.ts), not read from a variable.
  const remembered = "opaque-token-REMEMBERED-51c2e9a7b3";
  rememberKey(remembered);
  const jwt = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2NvZ25pdGl2ZSJ9.c2lnbmF0dXJl";
  assert.equal(
    redactSecrets(`token ${remembered}; jwt=${jwt}; plain words stay`, {}),
    "token [redacted key]; jwt=[redacted]; plain words stay",
  );
});

test("the user information of a URL (user:password@, token@) is redacted, the rest of the URL kept", () => {
  const environment = {};
  assert.equal(
    redactSecrets('base URL "ftp://user:pw1234@host:8080/v1" must start with http://', environment),
    'base URL "ftp://[redacted]@host:8080/v1" must start with http://',
  );
  assert.equal(
    redactSecrets(
      "proxy https://token-abc@proxy.example/ refused; also socks5://a:b@10.0.0.1:1080",
      environment,
    ),
    "proxy https://[redacted]@proxy.example/ refused; also socks5://[redacted]@10.0.0.1:1080",
  );
  // The placeholder a message uses to show the form is kept.
  assert.equal(
    redactSecrets("put them in HTTPS_PROXY as http://user:password@host:port", environment),
    "put them in HTTPS_PROXY as http://user:password@host:port",
  );
  // An @ in a path or query is not user information; an address in prose is not a URL.
  assert.equal(
    redactSecrets("https://host/v1/models/@latest?by=me@example.com and me@example.com", environment),
    "https://host/v1/models/@latest?by=me@example.com and me@example.com",
  );
});
