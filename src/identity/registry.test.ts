import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InputError } from "../errors.ts";
import { developerRecords } from "./developers.ts";
import { normaliseForMatching } from "./normalize.ts";
import {
  closeDeveloperKeys,
  developerKeys,
  developerRecord,
  developersNamedIn,
  factFor,
  findDeveloperMentions,
  identityForModelId,
  resolveDeveloperKey,
} from "./registry.ts";

describe("identity registry", () => {
  it("has the contract's developer keys, each with names in English and a fact", () => {
    for (const key of [
      "openai",
      "anthropic",
      "google",
      "meta",
      "alibaba",
      "deepseek",
      "zhipu",
      "bytedance",
      "microsoft",
      "mistral",
      "xai",
      "moonshot",
      "baidu",
      "tencent",
      "01ai",
      "minimax",
      "amazon",
      "cohere",
      "nvidia",
      "ibm",
    ]) {
      const record = developerRecord(key);
      assert.ok(record, key);
      assert.ok(record.organisations.length > 0 && record.fact.length > 0, key);
    }
    assert.equal(new Set(developerKeys()).size, developerRecords.length);
  });
  it("has Chinese names for the Chinese developers", () => {
    for (const key of [
      "alibaba",
      "deepseek",
      "zhipu",
      "bytedance",
      "moonshot",
      "baidu",
      "tencent",
      "01ai",
      "minimax",
    ]) {
      const record = developerRecord(key)!;
      assert.ok(
        [...record.organisations, ...record.products].some((name) => /[\u4e00-\u9fff]/.test(name)),
        key,
      );
    }
  });
  it("documents which terms forbid training competing models, with a source", () => {
    for (const key of ["openai", "anthropic", "google", "mistral", "xai"]) {
      const terms = developerRecord(key)?.termsForbidCompetingTraining;
      assert.equal(terms?.forbids, true, key);
      assert.match(terms!.source, /terms|Terms/);
    }
  });
  it("maps model ids to developers by general rules", () => {
    const expected: Record<string, string> = {
      "deepseek:deepseek-chat": "deepseek",
      "glm-4-plus": "zhipu",
      "qwen2.5-72b-instruct": "alibaba",
      "qwen-max-0919": "alibaba",
      "claude-3-5-sonnet-20241022": "anthropic",
      "llama3.1-70b-instruct": "meta",
      "llama-3.1-70b-instruct": "meta",
      "phi-4": "microsoft",
      "gemini-2.0-flash-exp": "google",
      "doubao-pro-32k": "bytedance",
      "deepseek-r1": "deepseek",
      "openai:gpt-4o-mini": "openai",
      "openai:o1-mini": "openai",
      "meta-llama/Llama-3.1-8B-Instruct": "meta",
      "ollama:qwen2.5:7b": "alibaba",
      "openrouter:mistralai/mixtral-8x7b": "mistral",
      "anthropic:some-future-model": "anthropic",
      "THUDM/chatglm3-6b": "zhipu",
      "01-ai/Yi-34B-Chat": "01ai",
      "moonshot-v1-8k": "moonshot",
      "ernie-4.0-8k": "baidu",
      "hunyuan-pro": "tencent",
      "grok-2": "xai",
    };
    for (const [id, key] of Object.entries(expected)) assert.equal(identityForModelId(id), key, id);
  });
  it("returns undefined when a model id implies no developer", () => {
    assert.equal(identityForModelId("openai:my-finetune"), undefined);
    assert.equal(identityForModelId("replay:./runs#model-x"), undefined);
    // The folders of a replay path are not hub organisations; a model id after "#" keeps its own.
    assert.equal(identityForModelId("replay:/data/qwen-evals/answers.jsonl"), undefined);
    assert.equal(identityForModelId("replay:runs/mistral/"), "mistral");
    assert.equal(identityForModelId("replay:/data/qwen-evals/#meta-llama/model-x"), "meta");
    // Azure OpenAI names deployments freely and hosts several developers' models: only the name decides.
    assert.equal(identityForModelId("azure:prod-chat"), undefined);
    assert.equal(identityForModelId("azure:gpt-4o"), "openai");
    assert.equal(identityForModelId("azure:phi-4"), "microsoft");
  });
  it("rejects an unknown --identity with close matches", () => {
    assert.equal(resolveDeveloperKey("Alibaba"), "alibaba");
    assert.throws(
      () => resolveDeveloperKey("alibab"),
      (error: unknown) => {
        assert.ok(error instanceof InputError);
        assert.match(error.message, /"alibaba"/);
        return true;
      },
    );
    assert.throws(() => resolveDeveloperKey("qwen"), /alibaba/);
    assert.equal(resolveDeveloperKey("deepseek:deepseek-chat"), "deepseek");
    assert.equal(resolveDeveloperKey("Qwen/Qwen2.5-7B-Instruct"), "alibaba");
    assert.deepEqual(closeDeveloperKeys("zzzzzzzz"), []);
    assert.throws(() => factFor("nobody"), InputError);
  });
  it("rejects a missing or non-string identity with an InputError, not a TypeError", () => {
    for (const value of [undefined, null, 42, ["alibaba"]])
      assert.throws(
        () => resolveDeveloperKey(value as unknown as string),
        (error: unknown) =>
          error instanceof InputError &&
          /^identity \(--identity\) must be a developer key such as "alibaba"/.test(error.message),
        String(value),
      );
  });
  it("finds mentions with the longest alias, word boundaries and case rules", () => {
    const mentions = findDeveloperMentions(
      "Google DeepMind made Gemini; AntiGPT is not GPT-4o. meta-analysis by Meta.",
    );
    assert.deepEqual(
      mentions.map((mention) => [mention.developer, mention.words]),
      [
        ["google", "Google DeepMind"],
        ["google", "Gemini"],
        ["openai", "GPT-4o"],
        ["meta", "Meta"],
      ],
    );
    assert.deepEqual(
      findDeveloperMentions("通义千问来自阿里云，不是文心一言。").map((mention) => mention.developer),
      ["alibaba", "alibaba", "baidu"],
    );
    assert.equal(findDeveloperMentions("GPT4 and Claude3").length, 2);
  });
  it("tells vendor-naming text from neutral text", () => {
    assert.deepEqual([...developersNamedIn("You are ChatGPT. {query}")], ["openai"]);
    assert.equal(developersNamedIn("You are a helpful pirate. {query}").size, 0);
  });
});

describe("normaliseForMatching", () => {
  it("maps look-alike letters and drops invisible characters, keeping offsets", () => {
    const original = "x\u200bChatG\u0420\u0422";
    const normalised = normaliseForMatching(original);
    assert.equal(normalised.text, "xChatGPT");
    assert.equal(normalised.offsets?.[1], 2);
  });
  it("leaves plain text untouched", () => {
    assert.deepEqual(normaliseForMatching("plain 文本"), { text: "plain 文本", offsets: undefined });
  });
});
