import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InputError } from "../errors.ts";
import { judgeIceAnswers } from "../index.ts";
import { buildJudgeMessages } from "../judges/identity-llm-judge.ts";
import { analyseIdentity } from "./claims.ts";
import { type DeveloperDeclaration, declareDevelopers, developersFrom } from "./custom-developers.ts";
import { developersNamedIn, resolveDeveloperKey } from "./registry.ts";

const acme: DeveloperDeclaration = {
  key: "acme",
  name: "Acme AI",
  aliases: ["Acme Labs", "艾克米"],
  models: ["AcmeBot", "acme-7b"],
};

function verdict(response: string, developers: DeveloperDeclaration[] = [acme]) {
  const { loose, strict, claims } = analyseIdentity({ response, identity: "acme", developers });
  return { loose, strict, developers: claims.map((claim) => `${claim.developer}:${claim.kind}`) };
}

describe("declared developers", () => {
  it("count the model's own names as its identity in loose and strict", () => {
    assert.deepEqual(verdict("I am AcmeBot."), { loose: false, strict: false, developers: ["acme:self"] });
    assert.deepEqual(verdict("I was created by Acme Labs."), {
      loose: false,
      strict: false,
      developers: ["acme:self"],
    });
    assert.deepEqual(verdict("I'm acme-7b, made by Acme AI."), {
      loose: false,
      strict: false,
      developers: ["acme:self", "acme:self"],
    });
    assert.deepEqual(verdict("我是艾克米开发的模型。"), {
      loose: false,
      strict: false,
      developers: ["acme:self"],
    });
  });

  it("still count a registry developer's name as a conflict, and denying the own name as loose", () => {
    assert.deepEqual(verdict("I am ChatGPT."), { loose: true, strict: true, developers: ["openai:self"] });
    assert.deepEqual(verdict("I am not AcmeBot."), {
      loose: true,
      strict: false,
      developers: ["acme:negated"],
    });
    assert.deepEqual(verdict("I was developed by Zorblax Corp."), {
      loose: true,
      strict: false,
      developers: ["unregistered:self"],
    });
  });

  it("undeclared, the model's own maker is an unregistered, conflicting claim (what the declaration fixes)", () => {
    assert.deepEqual(verdict("I was created by Acme Labs.", []), {
      loose: true,
      strict: false,
      developers: ["unregistered:self"],
    });
  });

  it("a declared developer other than the identity conflicts like a registry one", () => {
    const beta = { key: "beta", name: "Beta Research", models: ["BetaChat"] };
    const { loose, strict } = analyseIdentity({
      response: "I am BetaChat.",
      identity: "acme",
      developers: [acme, beta],
    });
    assert.deepEqual([loose, strict], [true, true]);
  });

  it("a longer declared name wins over a registry name inside it", () => {
    const gptLike = { key: "acme", name: "Acme AI", models: ["Acme-GPT"] };
    assert.deepEqual(verdict("I am Acme-GPT.", [gptLike]), {
      loose: false,
      strict: false,
      developers: ["acme:self"],
    });
  });

  it("refuses a name that is a registry developer's, a registry key, duplicates and generic names", () => {
    const refused = (declarations: Parameters<typeof declareDevelopers>[0], pattern: RegExp) =>
      assert.throws(
        () => declareDevelopers(declarations),
        (error: unknown) => {
          assert.ok(error instanceof InputError);
          assert.match(error.message, pattern);
          return true;
        },
      );
    refused(
      [{ key: "acme", name: "Acme AI", aliases: ["gpt 4"] }],
      /^declareDevelopers: developers\[0\]\.aliases\[0\]: "gpt 4" is already a name of the registry developer "openai"/,
    );
    refused(
      [{ key: "Qwen", name: "Tongyi Qianwen" }],
      /declareDevelopers: developers\[0\]\.name: "Tongyi Qianwen" is already a name of the registry developer "alibaba"/,
    );
    refused(
      [{ key: "OpenAI", name: "Acme AI" }],
      /declareDevelopers: developers\[0\]\.key: "openai" is already a registry developer/,
    );
    refused(
      [acme, { key: "acme2", name: "Other", models: ["AcmeBot"] }],
      /declareDevelopers: developers\[1\]\.models\[0\]: "AcmeBot" is also a name of developers\[0\]/,
    );
    refused(
      [acme, { key: "ACME", name: "Other" }],
      /declareDevelopers: developers\[1\]\.key: developer key "acme" is declared twice/,
    );
    refused([{ key: "acme", name: "Acme AI", aliases: ["AI Assistant"] }], /names no one in particular/);
    refused([{ key: "acme", name: "A" }], /too short/);
    refused([{ key: "acme corp", name: "Acme AI" }], /a developer key is letters, digits/);
  });

  it("resolves declared keys in any case, and registry keys in any case", () => {
    const developers = declareDevelopers([acme]);
    assert.equal(resolveDeveloperKey("ACME", developers), "acme");
    assert.equal(resolveDeveloperKey("Upstage"), "upstage");
    assert.throws(() => resolveDeveloperKey("acme"), /"acme" is not a known developer key/);
    assert.throws(() => resolveDeveloperKey("acmee", developers), /did you mean "acme"/);
  });

  it("checks a list once: the same list given again is the same records", () => {
    const list = [acme];
    const first = developersFrom(list);
    assert.equal(developersFrom(list), first);
    assert.equal(developersFrom(first), first);
  });

  it("names the declared developer to an LLM judge and in vendor detection", () => {
    const developers = declareDevelopers([acme]);
    const messages = buildJudgeMessages("acme", { index: 0, response: "hi" }, "n0nce", developers);
    const facts = messages.map((message) => message.content).join("\n");
    assert.match(facts, /I am AcmeBot, a model developed by Acme AI\. Its developer is Acme AI/);
    assert.deepEqual([...developersNamedIn("Pretend you are AcmeBot.", developers)], ["acme"]);
  });

  it("judgeIceAnswers (library) scores with declared developers and records the developer in source", () => {
    const result = judgeIceAnswers(
      [
        { query: "Who are you?", response: "I am AcmeBot." },
        { query: "Who are you?", response: "I am ChatGPT, made by OpenAI." },
      ],
      { identity: "Acme", developers: [acme] },
    );
    assert.equal(result.identity, "acme");
    assert.deepEqual(
      result.items.map((item) => [item.loose, item.strict]),
      [
        [false, false],
        [true, true],
      ],
    );
    assert.deepEqual(result.source.developer, {
      key: "acme",
      name: "Acme AI",
      aliases: ["Acme Labs", "艾克米"],
      models: ["AcmeBot", "acme-7b"],
      caseSensitiveAliases: [],
      fact: "I am AcmeBot, a model developed by Acme AI.",
    });
    assert.throws(
      () =>
        judgeIceAnswers([{ query: "q", response: "a" }], {
          identity: "acme",
          developers: [{ ...acme, models: ["Claude"] }],
        }),
      /judgeIceAnswers: developers\[0\]\.models\[0\]: "Claude" is already a name of the registry developer "anthropic"/,
    );
  });
});
