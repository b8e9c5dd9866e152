import assert from "node:assert/strict";
import { test } from "node:test";
import { looksLikeKey } from "./looks-like-key.ts";

test("keys pasted as upper-case 'names' look like keys; real variable names do not", () => {
  for (const key of [
    "KEYINCONFIGABCDEF123456789XYZ",
    "ABCDEF0123456789ABCDEF",
    "SK_PROJ_ABCDEFGHIJKLMNOPQRSTUVWXYZ",
  ])
    assert.equal(looksLikeKey(key), true, key);
  for (const name of [
    "OPENAI_API_KEY",
    "AZURE_OPENAI_API_KEY",
    "MY_PROVIDER_KEY_2",
    "VLLM_KEY",
    "UNSET_AUDIT_KEY",
  ])
    assert.equal(looksLikeKey(name), false, name);
});
