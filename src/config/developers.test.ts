import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InputError } from "../errors.ts";
import { developerRecordOf } from "../identity/custom-developers.ts";
import { declarationsOf } from "./developer-declarations.ts";
import { parseDeveloperText } from "./developer-file.ts";
import { parseConfigText } from "./load.ts";
import { configTargetIdentity } from "./target-identity.ts";

function config(identity: string, developers = ""): string {
  return `version: 1
${developers}targets:
  - id: openai:acme-7b
    identity: ${identity}
evaluations:
  ice: { budget: 10 }
`;
}

const acme = `developers:
  - key: acme
    name: Acme AI
    aliases: [Acme Labs]
    models: [AcmeBot, acme-7b]
`;

function problem(
  text: string,
  parse: (text: string) => unknown = (value) => parseConfigText(value, "d.yaml"),
): string {
  try {
    parse(text);
  } catch (error) {
    assert.ok(error instanceof InputError, String(error));
    return error.message;
  }
  assert.fail("expected an InputError");
}

describe("developers: in distillscope.yaml", () => {
  it("declares a developer whose key a target's identity names, in any case", () => {
    const { config: parsed } = parseConfigText(config("ACME", acme), "d.yaml");
    assert.deepEqual(parsed.developers, [
      {
        key: "acme",
        name: "Acme AI",
        aliases: ["Acme Labs"],
        models: ["AcmeBot", "acme-7b"],
        "case-sensitive-aliases": [],
      },
    ]);
  });

  it("matches registry keys in any case, as --identity does", () => {
    assert.equal(parseConfigText(config("Upstage"), "d.yaml").config.targets[0]?.identity, "Upstage");
    assert.equal(parseConfigText(config("DeepSeek"), "d.yaml").config.targets[0]?.identity, "DeepSeek");
  });

  it("an undeclared key says how to declare it; a near miss names the declared key", () => {
    assert.match(
      problem(config("acme")),
      /^d\.yaml:4: targets\[0\]\.identity: unknown developer key "acme"; known keys: openai, .*declared under developers:/,
    );
    assert.match(
      problem(config("acmee", acme)),
      /^d\.yaml:9: targets\[0\]\.identity: .*did you mean "acme"\?/,
    );
  });

  it("refuses a name of a registry developer at its line, and only that problem", () => {
    const colliding = acme.replace("[Acme Labs]", "[Acme Labs, ChatGPT]");
    assert.equal(
      problem(config("acme", colliding)),
      'd.yaml:5: developers[0].aliases[1]: "ChatGPT" is already a name of the registry developer "openai": a claim of it could not tell the two apart; remove it (or, if the model is openai\'s, use identity "openai")',
    );
  });

  it("refuses a registry key, a misspelt field and a bad key with the line", () => {
    assert.match(
      problem(config("openai", acme.replace("key: acme", "key: openai"))),
      /d\.yaml:3: developers\[0\]\.key: "openai" is already a registry developer/,
    );
    assert.match(
      problem(config("acme", acme.replace("models:", "model:"))),
      /d\.yaml:6: developers\[0\]\.model: unknown key \(did you mean "models"\?\)/,
    );
    assert.match(
      problem(config("acme", acme.replace("key: acme", "key: acme corp"))),
      /d\.yaml:3: developers\[0\]\.key: a developer key is letters, digits, - and _/,
    );
  });
});

describe("a target without identity: its id decides, declared developers included", () => {
  const target = (id: string, identity = "") => `${acme}targets:
  - id: ${id}
${identity}evaluations:
  ice: { budget: 10 }
`;
  const identityOf = (text: string) => {
    const { config } = parseConfigText(text, "d.yaml");
    const developers = declarationsOf(config.developers).map(developerRecordOf);
    return configTargetIdentity(config.targets[0]!, developers);
  };

  it("a model name the config declares is that developer's", () => {
    const identity = identityOf(target("openai:acme-7b-instruct"));
    assert.equal(identity.kind === "found" ? identity.match.key : identity.kind, "acme");
  });

  it("an id that names a registry and a declared developer is refused at the id, naming both", () => {
    assert.equal(
      problem(target("openai:qwen2.5-7b-acmebot")),
      'd.yaml:7: targets[0].id: the target id "openai:qwen2.5-7b-acmebot" names 2 developers: alibaba ("qwen", registry) and acme ("AcmeBot", declared under developers:), neither more specific than the other; add identity: alibaba or identity: acme',
    );
  });

  it("a written identity always wins", () => {
    const identity = identityOf(target("openai:qwen2.5-7b-acmebot", "    identity: acme\n"));
    assert.deepEqual(identity, { kind: "given", key: "acme" });
  });
});

describe("developer files", () => {
  const parse = (text: string) => parseDeveloperText(text, "dev.yaml");

  it("reads one developer, or a developers: list as in the config", () => {
    assert.deepEqual(parse("key: acme\nname: Acme AI\nmodels: [AcmeBot]\n"), [
      { key: "acme", name: "Acme AI", aliases: [], models: ["AcmeBot"], caseSensitiveAliases: [] },
    ]);
    assert.deepEqual(
      parse(acme).map((declaration) => declaration.key),
      ["acme"],
    );
  });

  it("reads the developers: list of a whole distillscope.yaml, at the config's lines", () => {
    assert.deepEqual(
      parse(config("acme", acme)).map((declaration) => declaration.models),
      [["AcmeBot", "acme-7b"]],
    );
    assert.match(
      problem(config("acme", acme.replace("Acme Labs", "Llama")), parse),
      /^dev\.yaml:5: developers\[0\]\.aliases\[0\]: "Llama" is already a name of the registry developer "meta"/,
    );
    assert.equal(
      problem(config("acme"), parse),
      "dev.yaml:1: developers: this configuration declares no developers; add a developers: list (key, name, aliases, models)",
    );
    // A key that is neither a developer's nor the config's is still refused.
    assert.match(problem(`${acme}developer: x\n`, parse), /^dev\.yaml:6: developer: unknown key/);
  });

  it("says what is wrong at its line", () => {
    assert.match(
      problem("key: acme\nnme: Acme AI\n", parse),
      /^dev\.yaml:2: nme: unknown key \(did you mean "name"\?\)/,
    );
    assert.match(problem("key: acme\n", parse), /^dev\.yaml:1: name: required field is missing/);
    assert.match(
      problem("key: acme\nname: Acme AI\nmodels:\n  - AcmeBot\n  - Gemini\n", parse),
      /^dev\.yaml:5: models\[1\]: "Gemini" is already a name of the registry developer "google"/,
    );
    assert.match(
      problem(acme.replace("Acme Labs", "Llama"), parse),
      /^dev\.yaml:4: developers\[0\]\.aliases\[0\]: "Llama"/,
    );
    assert.match(problem("- acme\n", parse), /^dev\.yaml:1: expected one developer/);
  });
});
