import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, it } from "node:test";
import { pathToFileURL } from "node:url";

const folder = mkdtempSync(join(tmpdir(), "ice-developers-test-"));
const iceModule = pathToFileURL(resolve(import.meta.dirname, "ice.ts")).href;
const errorsModule = pathToFileURL(resolve(import.meta.dirname, "../../errors.ts")).href;

/** The `ice` command alone in a child process, with main.ts's error handling (InputError -> exit 2). */
const harness = `
import { Command, CommanderError } from "commander";
import { register } from "${iceModule}";
import { exitCodeFor } from "${errorsModule}";
const program = new Command().exitOverride().option("--quiet").option("--home <dir>");
register(program);
try {
  await program.parseAsync(process.argv.slice(1), { from: "user" });
} catch (error) {
  process.stderr.write("distillscope: " + (error instanceof Error ? error.message : String(error)) + "\\n");
  process.exitCode = error instanceof CommanderError ? 2 : exitCodeFor(error);
}
`;

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", harness, "--", ...args], {
    encoding: "utf8",
    timeout: 60_000,
    cwd: resolve(import.meta.dirname, "../../.."),
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function write(name: string, text: string): string {
  const file = join(folder, name);
  writeFileSync(file, text);
  return file;
}

const answers = write(
  "acme-answers.jsonl",
  `${[
    "I am AcmeBot, your assistant.",
    "I was created by Acme AI.",
    "I am ChatGPT, a model developed by OpenAI.",
  ]
    .map((response) => JSON.stringify({ query: "Who are you?", response }))
    .join("\n")}\n`,
);

interface Verdicts {
  loose: boolean;
  strict: boolean;
  developers: string[];
}

function verdicts(file: string): Verdicts[] {
  const result = JSON.parse(readFileSync(file, "utf8"));
  return result.items.map(
    (item: { loose: boolean; strict: boolean; claims: Array<{ developer: string }> }) => ({
      loose: item.loose,
      strict: item.strict,
      developers: item.claims.map((claim) => claim.developer),
    }),
  );
}

const expected: Verdicts[] = [
  { loose: false, strict: false, developers: ["acme"] },
  { loose: false, strict: false, developers: ["acme"] },
  { loose: true, strict: true, developers: ["openai", "openai"] },
];

describe("ice judge with a developer the registry does not know", () => {
  it("--developer-name/--developer-model: the model's own names are its identity, ChatGPT is a conflict", () => {
    const out = join(folder, "flags.json");
    const result = run(
      "ice",
      "judge",
      answers,
      "--format",
      "jsonl",
      "--identity",
      "Acme",
      "--developer-name",
      "Acme AI",
      "--developer-model",
      "AcmeBot",
      "--out",
      out,
    );
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(verdicts(out), expected);
    const json = JSON.parse(readFileSync(out, "utf8"));
    assert.equal(json.identity, "acme");
    assert.deepEqual(json.scores, { loose: 1 / 3, strict: 1 / 3, hard: 1 / 3 });
    assert.deepEqual(json.source.developer, {
      key: "acme",
      name: "Acme AI",
      aliases: [],
      models: ["AcmeBot"],
      caseSensitiveAliases: [],
      fact: "I am AcmeBot, a model developed by Acme AI.",
    });
  });

  it("without a declaration the same answers count the model's own maker as a conflict (loose)", () => {
    // The baseline the declaration fixes: the unknown "Acme AI" is some other developer to the judge.
    const out = join(folder, "undeclared.json");
    const result = run("ice", "judge", answers, "--format", "jsonl", "--identity", "upstage", "--out", out);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(
      verdicts(out).map((item) => item.loose),
      [false, true, true],
    );
  });

  it("--developer-file with one developer implies --identity", () => {
    const developerFile = write(
      "acme.yaml",
      "key: acme\nname: Acme AI\naliases: [Acme Labs]\nmodels: [AcmeBot, acme-7b]\n",
    );
    const out = join(folder, "file.json");
    const result = run(
      "ice",
      "judge",
      answers,
      "--format",
      "jsonl",
      "--developer-file",
      developerFile,
      "--out",
      out,
    );
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(verdicts(out), expected);
    assert.equal(JSON.parse(readFileSync(out, "utf8")).identity, "acme");
  });

  it("--format ice-result judges a result again with the developer it records", () => {
    const first = join(folder, "first.json");
    const again = join(folder, "again.json");
    const judged = run(
      "ice",
      "judge",
      answers,
      "--format",
      "jsonl",
      "--developer-name",
      "Acme AI",
      "--developer-model",
      "AcmeBot",
      "--out",
      first,
    );
    assert.equal(judged.status, 0, judged.stderr);
    assert.equal(JSON.parse(readFileSync(first, "utf8")).identity, "acme-ai");
    const rejudged = run("ice", "judge", first, "--format", "ice-result", "--out", again);
    assert.equal(rejudged.status, 0, rejudged.stderr);
    assert.deepEqual(
      verdicts(again).map((item) => [item.loose, item.strict]),
      expected.map((item) => [item.loose, item.strict]),
    );
  });

  it("an unknown key names the way to declare one (exit 2)", () => {
    const result = run(
      "ice",
      "judge",
      answers,
      "--format",
      "jsonl",
      "--identity",
      "acme",
      "--out",
      join(folder, "x.json"),
    );
    assert.equal(result.status, 2);
    assert.match(result.stderr, /"acme" is not a known developer key; .*--developer-name, --developer-file/);
    assert.equal(result.stderr.trim().split("\n").length, 1);
  });

  it("refuses a declared name that is a registry developer's name (exit 2, one line)", () => {
    const result = run(
      "ice",
      "judge",
      answers,
      "--format",
      "jsonl",
      "--developer-name",
      "Acme AI",
      "--developer-alias",
      "Chat GPT",
      "--out",
      join(folder, "y.json"),
    );
    assert.equal(result.status, 2);
    assert.match(
      result.stderr,
      /--developer-alias "Chat GPT": "Chat GPT" is already a name of the registry developer "openai"/,
    );
    assert.equal(result.stderr.trim().split("\n").length, 1);
  });

  it("refuses --developer-name with a registry key as --identity, and an alias without a name", () => {
    const registryKey = run(
      "ice",
      "judge",
      answers,
      "--format",
      "jsonl",
      "--identity",
      "OpenAI",
      "--developer-name",
      "Acme AI",
      "--out",
      join(folder, "z.json"),
    );
    assert.equal(registryKey.status, 2);
    assert.match(registryKey.stderr, /--identity: "openai" is already a registry developer/);
    const alone = run(
      "ice",
      "judge",
      answers,
      "--format",
      "jsonl",
      "--developer-model",
      "AcmeBot",
      "--out",
      join(folder, "z.json"),
    );
    assert.equal(alone.status, 2);
    assert.match(alone.stderr, /--developer-model needs --developer-name/);
  });

  it("a misspelt key in the developer file is an error at its line, with a did-you-mean (exit 2)", () => {
    const developerFile = write("typo.yaml", "key: acme\nname: Acme AI\nmodel: [AcmeBot]\n");
    const result = run(
      "ice",
      "judge",
      answers,
      "--format",
      "jsonl",
      "--developer-file",
      developerFile,
      "--out",
      join(folder, "w.json"),
    );
    assert.equal(result.status, 2);
    assert.match(result.stderr, /typo\.yaml:3: model: unknown key \(did you mean "models"\?\)/);
  });
});
