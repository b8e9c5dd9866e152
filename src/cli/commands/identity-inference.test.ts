/**
 * A developer declared in distillscope.yaml (as `init` writes it, uncommented) works like a registry
 * developer: `ice run`, `ice judge` and `audit` infer it from a model id, say so, and refuse to guess
 * when a registry developer matches the same id. End to end: the CLI as a child process against the
 * loopback mock provider.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { loadConfig } from "../../config/load.ts";
import { type MockProviderServer, startMockProviderServer } from "../../testing/mock-provider-server.ts";
import { type CliRun, spawnCli } from "../../testing/spawn-cli.ts";

const apiKey = "inference-key-7d2";
let server: MockProviderServer;
const folder = mkdtempSync(join(tmpdir(), "distillscope-identity-inference-"));
const config = join(folder, "distillscope.yaml");

/** Half the prompts get the model's own identity, half another developer's (decided by the prompt). */
function respond(input: { messages: ReadonlyArray<{ role: string; content: string }> }): string {
  const user = [...input.messages].reverse().find((message) => message.role === "user")?.content ?? "";
  const own = createHash("sha256").update(user).digest()[0]! % 2 === 0;
  return own ? "I am HeronChat, created by Heron Labs." : "I am ChatGPT, created by OpenAI.";
}

function cli(args: string[]): Promise<CliRun> {
  return spawnCli(args, { OPENAI_API_KEY: apiKey, DISTILLSCOPE_HOME: join(folder, "home") });
}

before(async () => {
  server = await startMockProviderServer({ respond, apiKey });
  const init = await cli(["init", "--out", config]);
  assert.equal(init.code, 0, init.stderr);
  // Uncomment the example's developers: block (from "# developers:" to the blank line after it).
  const text = readFileSync(config, "utf8");
  const uncommented = text.replace(/^# (developers:\n(?:# .*\n)+)/m, (block) => block.replace(/^# /gm, ""));
  assert.notEqual(uncommented, text, "init wrote no commented developers: block");
  writeFileSync(config, uncommented);
});

after(async () => {
  await server.close();
  rmSync(folder, { recursive: true, force: true });
});

const iceRun = (target: string, out: string, ...more: string[]) => [
  "ice",
  "run",
  "--target",
  target,
  "--base-url",
  server.openaiBaseUrl,
  "--budget",
  "20",
  "--questions",
  "5",
  "--policy",
  "random",
  "--developer-file",
  config,
  "--out",
  out,
  ...more,
];

test("init's developers: example, uncommented, is a config the loader accepts", () => {
  const { config: loaded } = loadConfig(config);
  assert.deepEqual(loaded.developers, [
    {
      key: "heron",
      name: "Heron Labs",
      aliases: ["Heron AI"],
      models: ["HeronChat", "Heron-7B"],
      "case-sensitive-aliases": [],
    },
  ]);
});

test("ice run infers the declared developer from the target id, says so, and judges by it", async () => {
  const out = join(folder, "inferred.json");
  const run = await cli(iceRun("openai:heron-7b-instruct", out));
  assert.equal(run.code, 0, run.stderr);
  assert.match(
    run.stdout,
    /^identity: heron \(from the target id: "Heron-7B", declared in distillscope\.yaml\)\n/,
  );
  const result = JSON.parse(readFileSync(out, "utf8"));
  assert.equal(result.identity, "heron");
  assert.equal(result.source.developer.key, "heron");
  const own = result.items.filter((item: { response: string }) => item.response.startsWith("I am HeronChat"));
  const other = result.items.filter((item: { response: string }) => item.response.startsWith("I am ChatGPT"));
  assert.ok(own.length > 0 && other.length > 0, "the fixture answers both ways");
  for (const item of own) assert.deepEqual([item.loose, item.strict], [false, false]);
  for (const item of other) assert.deepEqual([item.loose, item.strict], [true, true]);
});

test("ice run: an explicit --identity wins over the inference, and nothing is said about it", async () => {
  const out = join(folder, "explicit.json");
  const run = await cli(iceRun("openai:heron-7b-instruct", out, "--identity", "OpenAI"));
  assert.equal(run.code, 0, run.stderr);
  assert.doesNotMatch(run.stdout + run.stderr, /^identity:/m);
  assert.equal(JSON.parse(readFileSync(out, "utf8")).identity, "openai");
});

test("ice run refuses to guess between a registry and a declared developer (exit 2, nothing asked)", async () => {
  const requests = server.stats().requests;
  const run = await cli(iceRun("openai:qwen2.5-7b-heronchat", join(folder, "ambiguous.json")));
  assert.equal(run.code, 2);
  assert.equal(
    run.stderr,
    'distillscope: --identity is needed: the target id "openai:qwen2.5-7b-heronchat" names 2 developers: alibaba ("qwen", registry) and heron ("HeronChat", declared in distillscope.yaml), neither more specific than the other; pass --identity alibaba or --identity heron\n',
  );
  assert.equal(server.stats().requests, requests);
});

test("ice run: a one-developer file does not silently override a registry model's id (exit 2)", async () => {
  const heronFile = join(folder, "heron.yaml");
  writeFileSync(heronFile, "key: heron\nname: Heron Labs\nmodels: [HeronChat]\n");
  const run = await cli([
    ...iceRun("openai:gpt-4o-mini", join(folder, "only.json")),
    "--developer-file",
    heronFile,
  ]);
  assert.equal(run.code, 2);
  assert.match(
    run.stderr,
    /the target id "openai:gpt-4o-mini" names openai \("gpt", registry\) but heron\.yaml declares one developer, heron; pass --identity openai or --identity heron\n$/,
  );
});

test("ice run reads distillscope.yaml's developers as audit does: they extend the registry, and imply no identity", async () => {
  // Found by review (30 Nov 2026): with the config as --developer-file, its one declared developer used to
  // be taken for every target the id did not name, and to refuse registry ids, unlike audit on the same file.
  const registry = await cli(iceRun("openai:gpt-4o-mini", join(folder, "registry.json")));
  assert.equal(registry.code, 0, registry.stderr);
  assert.equal(JSON.parse(readFileSync(join(folder, "registry.json"), "utf8")).identity, "openai");
  const unnamed = await cli(iceRun("openai:my-finetune", join(folder, "unnamed.json")));
  assert.equal(unnamed.code, 2);
  assert.match(
    unnamed.stderr,
    /--identity is needed: the developer of "openai:my-finetune" is not clear from its id/,
  );
  // audit on a config with the same developers says the same.
  const audit = await cli(["audit", "-c", auditConfig("openai:my-finetune")]);
  assert.equal(audit.code, 2);
  assert.match(
    audit.stderr,
    /identity is missing and the developer of "openai:my-finetune" is not clear from its id/,
  );
});

test("ice judge infers the declared developer from the lines' model field", async () => {
  await judgesAsHeron("answers.jsonl");
});

test("ice judge reads the lines' model field before the file name (which may name someone else)", async () => {
  // Found by review (30 Nov 2026): "qwen-heron.jsonl" names alibaba and heron alike, and was exit 2
  // before the lines, which all say openai:heron-7b, were read.
  await judgesAsHeron("qwen-heron.jsonl");
});

async function judgesAsHeron(fileName: string): Promise<void> {
  const answers = join(folder, fileName);
  writeFileSync(
    answers,
    [
      {
        id: "a",
        prompt: "Who made you?",
        response: "I am HeronChat, created by Heron Labs.",
        model: "openai:heron-7b",
      },
      {
        id: "b",
        prompt: "Who are you?",
        response: "I am ChatGPT, created by OpenAI.",
        model: "openai:heron-7b",
      },
    ]
      .map((line) => JSON.stringify(line))
      .join("\n"),
  );
  const out = join(folder, `${fileName}.judged.json`);
  const run = await cli([
    "ice",
    "judge",
    answers,
    "--format",
    "jsonl",
    "--developer-file",
    config,
    "--out",
    out,
  ]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(
    run.stdout,
    /^identity: heron \(from the lines' "model" field: "Heron-7B", declared in distillscope\.yaml\)\n/,
  );
  const result = JSON.parse(readFileSync(out, "utf8"));
  assert.equal(result.identity, "heron");
  assert.deepEqual(
    result.items.map((item: { strict: boolean }) => item.strict),
    [false, true],
  );
}

/** A config of one target without identity, the init example's developer declared. */
function auditConfig(target: string): string {
  const directory = mkdtempSync(join(folder, "audit-"));
  const path = join(directory, "distillscope.yaml");
  writeFileSync(
    path,
    [
      "developers:",
      "  - key: heron",
      "    name: Heron Labs",
      "    models: [HeronChat, Heron-7B]",
      "targets:",
      `  - id: ${target}`,
      `    base-url: ${server.openaiBaseUrl}`,
      "evaluations:",
      "  ice: { budget: 8, seed: 1 }",
      "report: { out: report, html: false }",
      "",
    ].join("\n"),
  );
  return path;
}

test("audit infers a target's declared developer from its id and says so", async () => {
  const path = auditConfig("openai:heron-7b");
  const run = await cli(["audit", "-c", path]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(
    run.stderr,
    /^ice: openai:heron-7b: identity: heron \(from the target id: "Heron-7B", declared in distillscope\.yaml\)$/m,
  );
  const results = join(path, "..", "report", "results");
  const [file] = readdirSync(results).filter((name) => name.startsWith("ice-"));
  assert.equal(JSON.parse(readFileSync(join(results, file!), "utf8")).identity, "heron");
});

test("audit refuses an id that names a registry and a declared developer, at its line (exit 2)", async () => {
  const requests = server.stats().requests;
  const run = await cli(["audit", "-c", auditConfig("openai:qwen2.5-heronchat")]);
  assert.equal(run.code, 2);
  assert.match(
    run.stderr,
    /^distillscope: distillscope\.yaml:6: targets\[0\]\.id: the target id "openai:qwen2\.5-heronchat" names 2 developers: alibaba .* and heron .*; add identity: alibaba or identity: heron\n$/,
  );
  assert.equal(server.stats().requests, requests);
});
