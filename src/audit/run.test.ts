import assert from "node:assert/strict";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { main } from "../cli/main.ts";
import { InputError } from "../errors.ts";
import { type MockProviderServer, startMockProviderServer } from "../testing/mock-provider-server.ts";
import { runAudit } from "./run.ts";

const apiKey = "test-key-4f1c9a";
let server: MockProviderServer;

function answer(model: string, prompt: string): string {
  if (model === "honest")
    return `I am Qwen, a model developed by Alibaba Cloud. About your question: ${prompt.slice(0, 40)}`;
  if (model === "impostor") return "I am ChatGPT, a large language model developed by OpenAI.";
  return `Here is a careful answer. First, consider the question. Second, ${prompt.slice(0, 60)}. Finally, summarise.`;
}

before(async () => {
  server = await startMockProviderServer({
    apiKey,
    respond: ({ model, messages }) => answer(model, messages.at(-1)?.content ?? ""),
  });
});

after(async () => {
  await server.close();
});

function writeCorpus(directory: string): void {
  const prompts = Array.from(
    { length: 12 },
    (_, index) => `Describe topic number ${index} in two sentences.`,
  );
  const styles: Record<string, (prompt: string, index: number) => string> = {
    teacher_a: (prompt, index) =>
      `Certainly! ${prompt} **Point one** about ${index}. **Point two** about ${index}.`,
    teacher_b: (_, index) =>
      `Topic ${index} is simple. It has a short plain description and nothing more to add.`,
    student: (prompt, index) => `Certainly! ${prompt} **Point one** about ${index}. **Point two**, briefly.`,
  };
  for (const [model, style] of Object.entries(styles)) {
    mkdirSync(join(directory, model), { recursive: true });
    const rows = prompts.map((instruction, index) => ({
      instruction,
      dataset: "test",
      output: style(instruction, index),
      generator: model,
    }));
    writeFileSync(join(directory, model, "model_outputs.json"), JSON.stringify(rows));
  }
}

function writeConfig(directory: string, failOn: string[]): string {
  const path = join(directory, "distillscope.yaml");
  const lines = [
    "targets:",
    "  - id: openai:honest",
    "    identity: alibaba",
    `    base-url: ${server.openaiBaseUrl}`,
    "    api-key-env: MOCK_PROVIDER_KEY",
    "  - id: openai:impostor",
    "    identity: alibaba",
    `    base-url: ${server.openaiBaseUrl}`,
    "    api-key-env: MOCK_PROVIDER_KEY",
    "references:",
    "  - id: openai:reference",
    `    base-url: ${server.openaiBaseUrl}`,
    "    api-key-env: MOCK_PROVIDER_KEY",
    "evaluations:",
    "  ice:",
    "    budget: 20",
    "    seed: 7",
    "  rse:",
    "    limit: 3",
    "  lineage:",
    "    corpus: corpus",
    "    candidates: [teacher_a, teacher_b]",
    "engine:",
    "  concurrency: 4",
    "  timeout-ms: 10000",
    "report:",
    "  out: report",
    "fail-on:",
    ...failOn.map((threshold) => `  - ${threshold}`),
  ];
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

test("an audit runs ICE, RSE and lineage for two targets, writes the report, and trips fail-on", async () => {
  const directory = mkdtempSync(join(tmpdir(), "distillscope-audit-"));
  writeCorpus(join(directory, "corpus"));
  const configPath = writeConfig(directory, ["ice.strict > 0.05", "rse.overall > 5"]);
  const home = join(directory, "home");
  const environment = { ...process.env, MOCK_PROVIDER_KEY: apiKey };

  const outcome = await runAudit({ configPath, home, environment });
  assert.deepEqual(
    outcome.results.map((file) => `${file.kind}:${file.subject}`),
    [
      "ice:openai:honest",
      "rse:openai:honest",
      "ice:openai:impostor",
      "rse:openai:impostor",
      "lineage:lineage",
    ],
  );
  const iceOf = (subject: string) =>
    JSON.parse(readFileSync(outcome.results.find((file) => file.subject === subject)!.path, "utf8")) as {
      scores: { strict: number };
    };
  assert.equal(iceOf("openai:honest").scores.strict, 0, "answering as itself is never strict");
  assert.ok(iceOf("openai:impostor").scores.strict > 0.5, "claiming to be ChatGPT is strict");
  assert.deepEqual(
    outcome.crossed.map((check) => `${check.threshold}|${check.subject}`),
    ["ice.strict > 0.05|openai:impostor"],
  );
  assert.ok(outcome.htmlPath && existsSync(outcome.htmlPath));
  assert.ok(outcome.manifestPath && existsSync(outcome.manifestPath));
  assert.match(outcome.summary, /\| `ice.strict > 0.05` \| openai:impostor \| 1.000 \| CROSSED \|/);
  for (const file of readdirSync(join(directory, "report"), { recursive: true })) {
    const path = join(directory, "report", String(file));
    if (path.endsWith(".json") || path.endsWith(".html") || path.endsWith(".md")) {
      assert.equal(readFileSync(path, "utf8").includes(apiKey), false, `${file} holds no key`);
    }
  }

  // The CLI: exit 1 for the crossed threshold; a second run asks the server nothing new.
  const requestsBefore = server.stats().requests;
  const previousKey = process.env.MOCK_PROVIDER_KEY;
  process.env.MOCK_PROVIDER_KEY = apiKey;
  try {
    const code = await main(["node", "distillscope", "audit", "-c", configPath, "--home", home, "--quiet"]);
    assert.equal(code, 1);
  } finally {
    if (previousKey === undefined) delete process.env.MOCK_PROVIDER_KEY;
    else process.env.MOCK_PROVIDER_KEY = previousKey;
  }
  assert.equal(server.stats().requests, requestsBefore, "everything came from the store");
});

test("an audit whose thresholds all pass exits 0; a bad config exits 2 with one line", async () => {
  const directory = mkdtempSync(join(tmpdir(), "distillscope-audit-pass-"));
  writeCorpus(join(directory, "corpus"));
  const configPath = writeConfig(directory, ["ice.strict > 1"]);
  const previousKey = process.env.MOCK_PROVIDER_KEY;
  process.env.MOCK_PROVIDER_KEY = apiKey;
  try {
    const home = join(directory, "home");
    assert.equal(
      await main(["node", "distillscope", "audit", "-c", configPath, "--home", home, "--quiet"]),
      0,
    );
    // The corpus has 3 models: lineage cannot test any of them (fewer than 5), so a lineage threshold is
    // NOT MEASURED (exit 3), never a pass (it was exit 0 before 30 Nov 2026).
    assert.equal(
      await main([
        "node",
        "distillscope",
        "audit",
        "-c",
        configPath,
        "--home",
        home,
        "--quiet",
        "--fail-on",
        "lineage.pValue < 0",
      ]),
      3,
    );
    writeFileSync(configPath, readFileSync(configPath, "utf8").replace("budget: 20", "budgte: 20"));
    assert.equal(
      await main(["node", "distillscope", "audit", "-c", configPath, "--home", home, "--quiet"]),
      2,
    );
  } finally {
    if (previousKey === undefined) delete process.env.MOCK_PROVIDER_KEY;
    else process.env.MOCK_PROVIDER_KEY = previousKey;
  }
});

test("an unset key variable stops the audit before any request, naming the config file and line", async () => {
  const directory = mkdtempSync(join(tmpdir(), "distillscope-audit-key-"));
  writeCorpus(join(directory, "corpus"));
  const configPath = writeConfig(directory, ["ice.strict > 1"]);
  // The second target (line 9 of the file) reads its key from a variable nobody set.
  writeFileSync(
    configPath,
    readFileSync(configPath, "utf8").replace(
      /(id: openai:impostor\n(?:.*\n){2}\s+api-key-env: )MOCK_PROVIDER_KEY/,
      "$1UNSET_AUDIT_KEY",
    ),
  );
  const requestsBefore = server.stats().requests;
  await assert.rejects(
    runAudit({
      configPath,
      home: join(directory, "home"),
      environment: { PATH: process.env.PATH, MOCK_PROVIDER_KEY: apiKey },
    }),
    (error: unknown) =>
      error instanceof InputError &&
      error.message ===
        "distillscope.yaml:9: targets[1].api-key-env: environment variable UNSET_AUDIT_KEY is not set (export it first)",
  );
  assert.equal(server.stats().requests, requestsBefore, "nothing was sent for the first target either");
});

test("a lineage-only audit needs no key for its targets: their models are never asked", async () => {
  const directory = mkdtempSync(join(tmpdir(), "distillscope-audit-lineage-only-"));
  writeCorpus(join(directory, "corpus"));
  const configPath = join(directory, "distillscope.yaml");
  const lines = [
    "targets:",
    "  - id: openai:offline-target",
    "    identity: alibaba",
    "    api-key-env: UNSET_LINEAGE_ONLY_KEY",
    "evaluations:",
    "  lineage:",
    "    corpus: corpus",
    "    candidates: [teacher_a, teacher_b]",
    "report:",
    "  out: report",
    "  html: false",
  ];
  writeFileSync(configPath, `${lines.join("\n")}\n`);
  const outcome = await runAudit({
    configPath,
    home: join(directory, "home"),
    environment: { PATH: process.env.PATH },
  });
  assert.deepEqual(
    outcome.results.map((file) => file.kind),
    ["lineage"],
  );
});

test("the config's lineage candidates are a YAML list: a model name with a comma needs no escape", async () => {
  const directory = mkdtempSync(join(tmpdir(), "distillscope-audit-lineage-comma-"));
  writeCorpus(join(directory, "corpus"));
  // An AlpacaEval results folder may be named with a comma.
  renameSync(join(directory, "corpus", "teacher_a"), join(directory, "corpus", "teacher,a"));
  const configPath = join(directory, "distillscope.yaml");
  const config = (candidates: string[]) =>
    [
      "targets:",
      "  - id: openai:offline-target",
      "    identity: alibaba",
      "    api-key-env: UNSET_LINEAGE_ONLY_KEY",
      "evaluations:",
      "  lineage:",
      "    corpus: corpus",
      ...candidates,
      "report:",
      "  out: report",
      "  html: false",
    ].join("\n");
  const lineageCandidates = async (candidates: string[]) => {
    writeFileSync(configPath, `${config(candidates)}\n`);
    const outcome = await runAudit({
      configPath,
      home: join(directory, "home"),
      environment: { PATH: process.env.PATH },
    });
    const file = outcome.results.find((result) => result.kind === "lineage")!;
    return (JSON.parse(readFileSync(file.path, "utf8")) as { candidates: string[] }).candidates;
  };
  // A block list, and a flow list with the name quoted.
  assert.deepEqual(await lineageCandidates(["    candidates:", "      - teacher,a", "      - teacher_b"]), [
    "teacher,a",
    "teacher_b",
  ]);
  assert.deepEqual(await lineageCandidates(['    candidates: ["teacher,a", teacher_b]']), [
    "teacher,a",
    "teacher_b",
  ]);
});

test("an audit says once, on its log, that ShareGPT conversations were cut at a system turn", async () => {
  const directory = mkdtempSync(join(tmpdir(), "distillscope-audit-sharegpt-cut-"));
  const conversation = (index: number, middle: boolean) => ({
    id: `c${index}`,
    conversations: [
      { from: "human", value: `Describe topic number ${index} in two sentences.` },
      { from: "gpt", value: "recorded" },
      ...(middle ? [{ from: "system", value: "Now answer in French." }] : []),
      { from: "human", value: "And briefly?" },
    ],
  });
  writeFileSync(
    join(directory, "chats.json"),
    JSON.stringify([0, 1, 2, 3].map((index) => conversation(index, index === 0))),
  );
  const model = (id: string) => [
    `  - id: openai:${id}`,
    `    base-url: ${server.openaiBaseUrl}`,
    "    api-key-env: MOCK_PROVIDER_KEY",
  ];
  const lines = [
    "targets:",
    ...model("honest"),
    "    identity: alibaba",
    ...model("impostor"),
    "    identity: alibaba",
    "references:",
    ...model("reference"),
    "evaluations:",
    "  rse:",
    "    prompt-sets: [sharegpt:chats.json]",
    "report:",
    "  out: report",
    "  html: false",
  ];
  const configPath = join(directory, "distillscope.yaml");
  writeFileSync(configPath, `${lines.join("\n")}\n`);
  const logged: string[] = [];
  await runAudit({
    configPath,
    home: join(directory, "home"),
    environment: { PATH: process.env.PATH, MOCK_PROVIDER_KEY: apiKey },
    log: (line) => logged.push(line),
  });
  const notes = logged.filter((line) => line.startsWith("note: "));
  assert.equal(notes.length, 1, logged.join("\n"));
  assert.match(
    notes[0]!,
    /^note: sharegpt \(.*chats\.json\): 1 conversation\(s\) of the file cut at a system turn/,
  );
});

test("a report.out that cannot be made names the config file, line and field", async () => {
  const directory = mkdtempSync(join(tmpdir(), "distillscope-audit-out-"));
  writeCorpus(join(directory, "corpus"));
  const file = join(directory, "plain-file");
  writeFileSync(file, "x");
  const configPath = writeConfig(directory, ["ice.strict > 1"]);
  const written = readFileSync(configPath, "utf8");
  const environment = { PATH: process.env.PATH, MOCK_PROVIDER_KEY: apiKey };
  const fix = "give report.out a folder that can be made and written";
  writeFileSync(configPath, written.replace("out: report", `out: ${join(file, "y")}`));
  await assert.rejects(runAudit({ configPath, home: join(directory, "home"), environment }), {
    name: "InputError",
    message: `distillscope.yaml:27: report.out ${join(file, "y")}: ${file} is a file, not a folder; ${fix}`,
  });
  if (!existsSync("/proc/self")) return;
  writeFileSync(configPath, written.replace("out: report", "out: /proc/distillscope-x/y"));
  await assert.rejects(runAudit({ configPath, home: join(directory, "home"), environment }), {
    name: "InputError",
    message: new RegExp(
      `^distillscope\\.yaml:27: report\\.out /proc/distillscope-x/y: cannot make /proc/distillscope-x \\((ENOENT|EACCES|EPERM|EROFS)\\); ${fix}$`,
    ),
  });
});

test("the audit's RSE samples the prompts `rse run` samples with the same seed: its answers are reused", async () => {
  const directory = mkdtempSync(join(tmpdir(), "distillscope-audit-rse-seed-"));
  const configPath = join(directory, "distillscope.yaml");
  const model = (id: string) => [
    `  - id: openai:${id}`,
    ...(id === "honest" ? ["    identity: alibaba"] : []),
    `    base-url: ${server.openaiBaseUrl}`,
    "    api-key-env: MOCK_PROVIDER_KEY",
  ];
  // The ICE seed (7) must not decide the RSE sample; the RSE seed is left at its default, 0.
  const lines = [
    "targets:",
    ...model("honest"),
    "references:",
    ...model("reference"),
    "evaluations:",
    "  ice:",
    "    budget: 4",
    "    seed: 7",
    "  rse:",
    "    limit: 5",
    "report:",
    "  out: report",
    "  html: false",
  ];
  writeFileSync(configPath, `${lines.join("\n")}\n`);
  const home = join(directory, "home");
  await runAudit({ configPath, home, environment: { PATH: process.env.PATH, MOCK_PROVIDER_KEY: apiKey } });
  const requestsBefore = server.stats().requests;
  const previousKey = process.env.MOCK_PROVIDER_KEY;
  process.env.MOCK_PROVIDER_KEY = apiKey;
  try {
    const code = await main([
      "node",
      "distillscope",
      "rse",
      "run",
      "--target",
      "openai:honest",
      "--base-url",
      server.openaiBaseUrl,
      "--reference",
      "openai:reference",
      "--reference-base-url",
      server.openaiBaseUrl,
      "--limit",
      "5",
      "--out",
      join(directory, "rse.json"),
      "--home",
      home,
      "--quiet",
    ]);
    assert.equal(code, 0);
  } finally {
    if (previousKey === undefined) delete process.env.MOCK_PROVIDER_KEY;
    else process.env.MOCK_PROVIDER_KEY = previousKey;
  }
  assert.equal(server.stats().requests, requestsBefore, "rse run asked nothing the audit had not asked");
});

test("runAudit without its options, or without a home, is an InputError before the config is read", async () => {
  await assert.rejects(
    runAudit(undefined as never),
    (error: unknown) =>
      error instanceof InputError && /^runAudit needs \{ configPath, home \}/.test(error.message),
  );
  await assert.rejects(
    runAudit({ configPath: "distillscope.yaml" } as never),
    (error: unknown) =>
      error instanceof InputError && /^the store home must be a path, got nothing$/.test(error.message),
  );
});

test("the config's lineage corpus can be a list: a model's own transcripts beside an AlpacaEval folder", async () => {
  const directory = mkdtempSync(join(tmpdir(), "distillscope-audit-lineage-inputs-"));
  writeCorpus(join(directory, "corpus"));
  // The student's answers move out of the folder into a transcripts file, in another order and with
  // other ids: the audit must align them on the prompt text, as `lineage <inputs...>` does.
  const studentRows = JSON.parse(
    readFileSync(join(directory, "corpus", "student", "model_outputs.json"), "utf8"),
  ) as Array<{
    instruction: string;
    output: string;
  }>;
  rmSync(join(directory, "corpus", "student"), { recursive: true });
  const lines = studentRows.reverse().map((row, index) =>
    JSON.stringify({
      id: `mine-${index}`,
      model: "openai:student",
      messages: [{ role: "user", content: row.instruction }],
      response: row.output,
      usage: { inputTokens: 1, outputTokens: 1 },
      latencyMs: 3,
      cached: false,
      endpoint: "127.0.0.1:1",
    }),
  );
  writeFileSync(join(directory, "mine.jsonl"), `${lines.join("\n")}\n`);
  const configPath = join(directory, "distillscope.yaml");
  writeFileSync(
    configPath,
    [
      "targets:",
      "  - id: openai:offline-target",
      "    identity: alibaba",
      "    api-key-env: UNSET_LINEAGE_INPUTS_KEY",
      "evaluations:",
      "  lineage:",
      "    corpus: [corpus, mine.jsonl]",
      "    candidates: [teacher_a, teacher_b]",
      "report:",
      "  out: report",
      "  html: false",
      "",
    ].join("\n"),
  );
  const log: string[] = [];
  const outcome = await runAudit({
    configPath,
    home: join(directory, "home"),
    environment: { PATH: process.env.PATH },
    log: (line: string) => log.push(line),
  });
  const file = outcome.results.find((result) => result.kind === "lineage")!;
  const result = JSON.parse(readFileSync(file.path, "utf8")) as {
    models: unknown;
    attributions: Array<{ model: string; ranking: Array<{ candidate: string }> }>;
  };
  const student = result.attributions.find((attribution) => attribution.model === "openai:student");
  assert.ok(student, "the transcripts file's model is a student of the run");
  assert.equal(
    student.ranking[0]!.candidate,
    "teacher_a",
    "aligned on prompt text, it is nearest its source",
  );
  assert.ok(
    log.some((line) => /lineage input 2: mine\.jsonl \(jsonl\): 1 models, 12 prompts/.test(line)),
    log.join("\n"),
  );
});
