import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { declareDevelopers } from "./custom-developers.ts";
import { ambiguityMessage, exampleIdentityFor, identityFromModelId } from "./model-id-identity.ts";

const developers = declareDevelopers([
  { key: "acme", name: "Acme AI", aliases: ["Acme Labs"], models: ["AcmeBot", "gpt-acme"] },
  { key: "heron", name: "Heron Labs", models: ["HeronChat"] },
]);

function found(id: string) {
  const inferred = identityFromModelId(id, developers);
  return inferred.kind === "found" ? inferred.match : inferred.kind;
}

describe("identityFromModelId: registry and declared developers together", () => {
  it("finds a declared developer from its model name, key or name, at a word start", () => {
    assert.deepEqual(found("openai:acmebot-7b"), {
      key: "acme",
      declared: true,
      via: "name",
      words: "AcmeBot",
    });
    assert.equal((found("openai:acme-7b") as { key: string }).key, "acme");
    assert.equal((found("openai:Acme-AI-13B-chat") as { words: string }).words, "Acme AI");
    assert.equal((found("openai:heron-chat-v2") as { key: string }).key, "heron");
    assert.equal((found("replay:./runs#heronchat2") as { key: string }).key, "heron");
    // Inside a word is no match: "acmetron" is not acme's, "myacme" neither.
    assert.equal(found("openai:acmetron-1"), "none");
    assert.equal(found("openai:myacme"), "none");
    // A replay file's folders are not organisations: neither the declared nor a registry name counts there.
    assert.equal(found("replay:/data/acme-labs/answers.jsonl"), "none");
    assert.deepEqual(found("replay:/data/qwen-evals/acmebot.jsonl"), found("openai:acmebot"));
  });

  it("finds a declared developer from a hub organisation", () => {
    assert.deepEqual(found("acme-labs/foo-7b"), {
      key: "acme",
      declared: true,
      via: "organisation",
      words: "Acme Labs",
    });
  });

  it("keeps the registry's answer when no declaration matches", () => {
    assert.deepEqual(found("deepseek:deepseek-chat"), {
      key: "deepseek",
      declared: false,
      via: "name",
      words: "deepseek",
    });
    assert.equal(found("openai:my-finetune"), "none");
  });

  it("a declared name that contains the registry's prefix is more specific: gpt-acme is acme's", () => {
    assert.equal((found("openai:gpt-acme-7b") as { key: string }).key, "acme");
    assert.equal((found("openai:gpt-4o") as { key: string }).key, "openai");
  });

  it("a declared model name beats a provider that only serves one developer", () => {
    assert.deepEqual(found("deepseek:acmebot"), {
      key: "acme",
      declared: true,
      via: "name",
      words: "AcmeBot",
    });
  });

  it("refuses to guess between a registry and a declared developer matched in different words", () => {
    const inferred = identityFromModelId("openai:qwen2.5-7b-acmebot", developers);
    assert.equal(inferred.kind, "ambiguous");
    assert.deepEqual(inferred.kind === "ambiguous" ? inferred.matches.map((match) => match.key) : [], [
      "alibaba",
      "acme",
    ]);
    const organisation = identityFromModelId("acme-labs/Qwen2.5-7B-Instruct", developers);
    assert.equal(organisation.kind, "ambiguous");
    // In one organisation as in one model name: the registry matched "qwen", not the declared "acme".
    assert.equal(identityFromModelId("Qwen-Acme/model-x", developers).kind, "ambiguous");
    assert.equal(identityFromModelId("openai:qwen-acme", developers).kind, "ambiguous");
    assert.equal((found("Qwen/model-x") as { key: string }).key, "alibaba");
    assert.equal(identityFromModelId("meta-llama/acme-7b", developers).kind, "ambiguous");
    assert.equal(
      ambiguityMessage(
        "openai:qwen2.5-7b-acmebot",
        inferred.kind === "ambiguous" ? inferred.matches : [],
        "declared in acme.yaml",
      ),
      'the target id "openai:qwen2.5-7b-acmebot" names 2 developers: alibaba ("qwen", registry) and acme ("AcmeBot", declared in acme.yaml), neither more specific than the other',
    );
  });

  it("refuses to guess between two declared developers", () => {
    const inferred = identityFromModelId("openai:acmebot-heronchat", developers);
    assert.equal(inferred.kind, "ambiguous");
  });

  it("without declarations it is the registry's identityForModelId", () => {
    assert.equal(identityFromModelId("openai:acmebot").kind, "none");
    const qwen = identityFromModelId("Qwen/Qwen2.5-7B-Instruct");
    assert.equal(qwen.kind === "found" ? qwen.match.key : qwen.kind, "alibaba");
  });
});

describe("exampleIdentityFor", () => {
  it("offers openai for an Azure OpenAI deployment, whose id says nothing about the model", () => {
    assert.equal(exampleIdentityFor("azure:prod-deploy"), "openai");
    assert.equal(exampleIdentityFor(" Azure:Prod "), "openai");
  });
  it("offers a neutral example for any other id that names nobody", () => {
    assert.equal(exampleIdentityFor("openai:my-finetune"), "deepseek");
    assert.equal(exampleIdentityFor("ollama:mystery:7b"), "deepseek");
  });
});
