import assert from "node:assert/strict";
import { test } from "node:test";
import { cacheKey } from "../store/cache-key.ts";
import { endpointIdentity } from "./endpoint-identity.ts";
import { createModel } from "./registry.ts";

const environment = {
  OPENAI_API_KEY: "sk-identity-test-0123456789abcdef",
  ANTHROPIC_API_KEY: "k",
  GEMINI_API_KEY: "k",
  AZURE_OPENAI_API_KEY: "k",
  AZURE_OPENAI_ENDPOINT: "https://res.openai.azure.com",
  DASHSCOPE_API_KEY: "k",
  OPENROUTER_API_KEY: "k",
  GROQ_API_KEY: "k",
  ZHIPUAI_API_KEY: "k",
};

function endpointOf(id: string, baseUrl?: string, extra: NodeJS.ProcessEnv = {}): string {
  return createModel(id, { environment: { ...environment, ...extra }, ...(baseUrl ? { baseUrl } : {}) })
    .endpoint;
}

function keyOf(id: string, baseUrl?: string, extra: NodeJS.ProcessEnv = {}): string {
  const model = createModel(id, {
    environment: { ...environment, ...extra },
    ...(baseUrl ? { baseUrl } : {}),
  });
  return cacheKey({
    provider: model.provider,
    model: model.model,
    endpoint: model.endpoint,
    messages: [{ role: "user", content: "Who are you?" }],
    parameters: { temperature: 0 },
    sample: 0,
  });
}

test("two gateways on one host and port, under different paths, are two endpoints", () => {
  const teamA = endpointOf("openai:gpt-4o-mini", "http://gw:8080/team-a/v1");
  const teamB = endpointOf("openai:gpt-4o-mini", "http://gw:8080/team-b/v1");
  assert.equal(teamA, "gw:8080/team-a/v1");
  assert.equal(teamB, "gw:8080/team-b/v1");
  assert.notEqual(
    keyOf("openai:gpt-4o-mini", "http://gw:8080/team-a/v1"),
    keyOf("openai:gpt-4o-mini", "http://gw:8080/team-b/v1"),
  );
  // The same for the other wire formats' adapters.
  assert.equal(endpointOf("anthropic:c", "https://gw/team-a/v1"), "gw/team-a");
  assert.equal(endpointOf("anthropic:c", "https://gw/team-b"), "gw/team-b");
  assert.equal(endpointOf("google:g", "https://gw/team-a/v1beta/"), "gw/team-a");
  assert.equal(endpointOf("ollama:q", "http://gw:11434/team-a/api"), "gw:11434/team-a");
  // An older Azure base URL names the deployment in its path.
  assert.equal(
    endpointOf("azure:d", "https://res.openai.azure.com/openai/deployments/d?api-version=2024-10-21"),
    "res.openai.azure.com/openai/deployments/d",
  );
});

test("the spellings of one base URL are one endpoint, as endpoint-url.ts reads them", () => {
  for (const baseUrl of [
    "http://gw:8080/team-a/v1",
    "http://gw:8080/team-a/v1/",
    "http://gw:8080/team-a/v1//",
    "http://gw:8080/team-a/v1/chat/completions",
    "http://GW:8080/team-a/v1?api-version=2024-10-21",
  ])
    assert.equal(endpointOf("openai:m", baseUrl), "gw:8080/team-a/v1", baseUrl);
  // Different request URLs stay apart: /team-a/chat/completions is not /team-a/v1/chat/completions.
  assert.equal(endpointOf("openai:m", "http://gw:8080/team-a"), "gw:8080/team-a");
});

test("usual API roots keep the exact cache keys they had before paths counted", () => {
  // Computed with the code before this change (endpoint = host and port), for the message "Who are you?"
  // at temperature 0, sample 0. A change here invalidates every user's store: bump cacheKeyVersion instead.
  const known: Array<[string, string | undefined, string]> = [
    ["openai:gpt-4o-mini", undefined, "96527168c8b15f2a60e147941d82a86e49946006e38a5332f0b050c3fa34c3ab"],
    [
      "openai:gpt-4o-mini",
      "https://api.openai.com/v1/",
      "96527168c8b15f2a60e147941d82a86e49946006e38a5332f0b050c3fa34c3ab",
    ],
    [
      "openai:gpt-4o-mini",
      "https://api.openai.com/v1/chat/completions",
      "96527168c8b15f2a60e147941d82a86e49946006e38a5332f0b050c3fa34c3ab",
    ],
    [
      "openai:gpt-4o-mini",
      "https://api.openai.com",
      "96527168c8b15f2a60e147941d82a86e49946006e38a5332f0b050c3fa34c3ab",
    ],
    [
      "openai:m",
      "http://127.0.0.1:8000/v1",
      "821ac02704ae360a04711d98ca6b3c5f04db1ead76523b6ce7c8e8efa3197e76",
    ],
    [
      "openai:m",
      "https://openrouter.ai/api/v1",
      "26d5e207efdc558cd9381a463abc74a7fcebe67a12b2583c82d5af4cc2507b09",
    ],
    [
      "openai:m",
      "https://api.groq.com/openai/v1",
      "a743ea701d5f629aed941d9f30880060fda7cb33795d2e977eb4467c2a958f9d",
    ],
    [
      "anthropic:claude-sonnet-4-5",
      undefined,
      "5f06c304340b3c1ce7fa9f232e9b3ab2706e9a2b379487f498d411641af22915",
    ],
    [
      "anthropic:claude-sonnet-4-5",
      "https://api.anthropic.com/v1",
      "5f06c304340b3c1ce7fa9f232e9b3ab2706e9a2b379487f498d411641af22915",
    ],
    [
      "google:gemini-2.5-flash",
      undefined,
      "da9bc275e0f8d88b737dc05fe9f20321e6b6edbb99bd8e15693496daf8f3c013",
    ],
    [
      "google:gemini-2.5-flash",
      "https://generativelanguage.googleapis.com/v1beta",
      "da9bc275e0f8d88b737dc05fe9f20321e6b6edbb99bd8e15693496daf8f3c013",
    ],
    ["ollama:qwen2.5:7b", undefined, "d2f9a89fd315ba7712b00b6021a778668b79383bcf2b9d66fbebea56acfc4c11"],
    [
      "ollama:qwen2.5:7b",
      "http://localhost:11434/v1",
      "d2f9a89fd315ba7712b00b6021a778668b79383bcf2b9d66fbebea56acfc4c11",
    ],
    ["azure:my-deployment", undefined, "2533c9ca102712e933153ec91fe0152f5712c8b19822cc35d52b0a24261de905"],
    ["qwen:qwen-max", undefined, "010a386f3b83abadd9403410d110ae6f2a7f949a661d3fe22c7a298b746e8ed3"],
    ["openrouter:x/y", undefined, "f8097fce5499ff087b447a2c0a955813f1f58c1ecfc5c6547cb81e5cc469060b"],
    ["groq:x", undefined, "6073d1c28b3cdc6075bdab847b2196cfb142d717861d689604609c010021b645"],
    ["zhipu:glm-4", undefined, "68d418bc930e3d826a2e6b57332c2be1d1db73826093cc28bbd9e019be96ace7"],
    ["vllm:x", undefined, "3982b8a0f6fc727dc357f5e24f1ba27c0b0d2753f0417159f865d5ed3214e978"],
  ];
  for (const [id, baseUrl, key] of known) assert.equal(keyOf(id, baseUrl), key, `${id} ${baseUrl ?? ""}`);
  assert.equal(
    keyOf("azure:my-deployment", undefined, {
      AZURE_OPENAI_ENDPOINT: "https://res.openai.azure.com/openai/v1/",
    }),
    "2533c9ca102712e933153ec91fe0152f5712c8b19822cc35d52b0a24261de905",
  );
  assert.equal(endpointOf("openai:gpt-4o-mini"), "api.openai.com");
});

test("no user info, query, fragment or key reaches the endpoint (nor the cache key's input)", () => {
  const secretUrl = "http://alice:pa55word@gw:8080/team-a/v1/?api-version=2024&key=qu3ry-s3cret#fr4gment";
  const endpoint = endpointOf("openai:m", secretUrl);
  assert.equal(endpoint, "gw:8080/team-a/v1");
  for (const part of ["alice", "pa55word", "@", "?", "qu3ry-s3cret", "api-version", "#", "fr4gment"])
    assert.ok(!endpoint.includes(part), part);
  assert.equal(keyOf("openai:m", secretUrl), keyOf("openai:m", "http://gw:8080/team-a/v1"));
  // A key written into the path (the adapter's own, or any key-shaped run) is replaced.
  assert.equal(
    endpointOf("openai:m", `http://gw:8080/keys/${environment.OPENAI_API_KEY}/v1`),
    "gw:8080/keys/[redacted]/v1",
  );
  assert.equal(
    endpointIdentity("http://gw/u/sk-proj-abcdefghijkl/v1", "/chat/completions"),
    "gw/u/[redacted]/v1",
  );
  // A short placeholder "key" is no secret and does not mangle the path.
  assert.equal(
    endpointIdentity("http://gw/EMPTY-lab/v1", "/chat/completions", { secrets: ["EMPTY"] }),
    "gw/EMPTY-lab/v1",
  );
});

test("default paths are compared as endpoint-url.ts reads base paths, and without case", () => {
  const options = { defaultPaths: ["/v1", "/compatible-mode/v1/"] };
  assert.equal(endpointIdentity("https://h/V1/", "/chat/completions", options), "h");
  assert.equal(endpointIdentity("https://h/compatible-mode/v1", "/chat/completions", options), "h");
  assert.equal(endpointIdentity("https://h/other/v1", "/chat/completions", options), "h/other/v1");
  // A preset's path is usual only on that preset's host.
  assert.equal(
    endpointOf("openai:m", "https://gw.example/compatible-mode/v1"),
    "gw.example/compatible-mode/v1",
  );
  assert.equal(
    endpointOf("openai:m", "https://dashscope-intl.aliyuncs.com/compatible-mode/v1"),
    "dashscope-intl.aliyuncs.com",
  );
});
