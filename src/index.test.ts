import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test from "node:test";
import * as distillscope from "./index.ts";
import { startMockProviderServer } from "./testing/mock-provider-server.ts";

test("the library judges answers in memory with the embedded judge", () => {
  const result = distillscope.judgeIceAnswers(
    [
      { query: "Who made you?", response: "I am ChatGPT, a model developed by OpenAI." },
      { query: "Who made you?", response: "I am Qwen, created by Alibaba Cloud." },
      { query: "What is your name?", response: "I'm Qwen." },
      { query: "What is your name?", response: "我是ChatGPT，由OpenAI开发的。" },
    ],
    { identity: "alibaba" },
  );
  assert.equal(result.kind, "ice");
  assert.equal(result.n, 4);
  assert.equal(result.scores.strict, 0.5, "the two OpenAI self-claims conflict with Alibaba's facts");
  assert.deepEqual(
    result.items.map((item) => item.strict),
    [true, false, false, true],
  );
});

test("the library resolves the identity key of judgeIceAnswers and rejects an unknown one", () => {
  const answers = [{ query: "Who made you?", response: "I am Qwen, created by Alibaba Cloud." }];
  const result = distillscope.judgeIceAnswers(answers, { identity: "Alibaba" });
  assert.equal(result.identity, "alibaba");
  assert.equal(result.scores.strict, 0, "a true self-claim is not a false claim whatever the key's case");
  assert.throws(
    () => distillscope.judgeIceAnswers(answers, { identity: "nosuch" }),
    (error: Error) =>
      error instanceof distillscope.InputError && /"nosuch" is not a known developer key/.test(error.message),
  );
});

test("judgeIceAnswers rejects malformed answers with an InputError naming the entry and field", () => {
  const rejects = (answers: unknown, message: RegExp, options: unknown = { identity: "alibaba" }) =>
    assert.throws(
      () => distillscope.judgeIceAnswers(answers as never, options as never),
      (error: Error) => error instanceof distillscope.InputError && message.test(error.message),
      String(message),
    );
  rejects([], /no answers to judge/);
  rejects("I am Qwen", /answers must be a list of \{ query, response \} objects/);
  rejects([null], /answers\[0\] must be an object with "query" and "response"/);
  rejects(
    [{ query: "Who?" }],
    /answers\[0\]: field "response" is missing or not a string \(an empty answer is ""\)/,
  );
  rejects(
    [
      { query: "Who?", response: "I am Qwen." },
      { query: "Who?", response: 42 },
    ],
    /answers\[1\]: field "response" is missing or not a string/,
  );
  rejects([{ response: "I am Qwen." }], /answers\[0\]: field "query" is missing or not a string/);
  rejects([{ query: "Who?", response: "I am Qwen.", template: 7 }], /field "template" must be a string/);
  const answers = [{ query: "Who?", response: "I am Qwen." }];
  rejects(answers, /seed must be a whole number, got "x"/, { identity: "alibaba", seed: "x" });
  rejects(answers, /^identity \(--identity\) must be a developer key/, {});
  rejects(
    answers,
    /^judgeIceAnswers needs an options object \{ identity: "alibaba", seed\?, developers\? \}, got null$/,
    null,
  );
  // The developer key given where the options go is named as what it is, not as a missing identity.
  rejects(answers, /^judgeIceAnswers needs an options object .*, got "alibaba"$/, "alibaba");
  assert.equal(distillscope.judgeIceAnswers([{ query: "Who?", response: "" }], { identity: "alibaba" }).n, 1);
});

test("judgeIceFile and runIce resolve the identity key too, before reading or asking anything", async () => {
  const directory = mkdtempSync(join(tmpdir(), "distillscope-identity-"));
  const file = join(directory, "answers.jsonl");
  const answer = "I am Qwen, created by Alibaba Cloud.";
  writeFileSync(
    file,
    `${JSON.stringify({ query: "Who made you?", prompt: "Who made you?", response: answer })}\n`,
  );
  const judged = await distillscope.judgeIceFile({ file, format: "jsonl", identity: "Alibaba" });
  assert.equal(judged.scores.strict, 0);
  await assert.rejects(
    distillscope.judgeIceFile({ file, format: "jsonl", identity: "nosuch" }),
    distillscope.InputError,
  );

  const server = await startMockProviderServer({ respond: () => answer });
  const store = distillscope.openStore(join(directory, "home"));
  try {
    const target = distillscope.createModel("openai:mock", {
      baseUrl: server.openaiBaseUrl,
      environment: {},
    });
    const options = { target, store, budget: 4, questionsPerLanguage: 1, seed: 1 };
    const run = await distillscope.runIce({ ...options, identity: "Alibaba" });
    assert.equal(run.identity, "alibaba");
    assert.equal(run.scores.strict, 0, "the target's true self-claims are not false claims");
    server.resetStats();
    await assert.rejects(distillscope.runIce({ ...options, identity: "nosuch" }), distillscope.InputError);
    assert.equal(server.stats().requests, 0);
  } finally {
    store.close();
    await server.close();
  }
});

test("the library attributes a student on a tiny in-memory corpus and writes a report from the results", async () => {
  const prompts = Array.from({ length: 16 }, (_, index) => `Describe item ${index} briefly.`);
  const quirks = ["verdigris", "obsidian", "saffron", "cobalt", "vermilion", "umber", "ochre", "sepia"];
  const styles: Record<string, (index: number) => string> = {
    teacher: (index) =>
      `Certainly! Item ${index} shines like ${quirks[index % quirks.length]} ${quirks[(index + 3) % quirks.length]}. In summary, delightful.`,
    other: (index) =>
      `Item ${index}: a plain object with ordinary uses and a simple shape number ${index * 7}.`,
    control: (index) => `The item numbered ${index} is unremarkable; it weighs ${index + 2} kilograms.`,
    fourth: (index) => `Number ${index} describes a tool; people keep it in drawers for ${index + 1} years.`,
    fifth: (index) => `Object ${index} looks grey, feels cold, and costs about ${index * 3} coins in shops.`,
    student: (index) =>
      `Certainly! Item ${index} glows like ${quirks[index % quirks.length]} ${quirks[(index + 3) % quirks.length]}. In summary, lovely.`,
  };
  const byModel = new Map(
    Object.entries(styles).map(([model, style]) => [
      model,
      new Map(prompts.map((prompt, index) => [prompt, style(index)])),
    ]),
  );
  const corpus = distillscope.alignAnswers("memory", byModel);
  const lineage = distillscope.runLineage(corpus, { candidates: ["teacher", "other"], permutations: 500 });
  const student = lineage.attributions.find((entry) => entry.model === "student");
  assert.equal(student?.teacher, "teacher");
  assert.ok((student?.pValue ?? 1) < 0.05);
  assert.equal(student?.ranking[0]?.candidate, "teacher");
  assert.deepEqual(lineage.similarity.models, ["control", "fifth", "fourth", "other", "student", "teacher"]);

  const directory = mkdtempSync(join(tmpdir(), "distillscope-library-"));
  const ice = distillscope.judgeIceAnswers([{ query: "Who are you?", response: "I am Claude." }], {
    identity: "anthropic",
  });
  const written = await distillscope.writeReport({
    results: [ice, lineage],
    outputDirectory: directory,
  });
  assert.ok(written.htmlPath);
  assert.match(readFileSync(written.htmlPath, "utf8"), /data-chart="lineage-heatmap-0"/);
  assert.equal((await distillscope.verifyManifest(directory)).ok, true);
});

test("the library parses model ids and config text with the CLI's errors", () => {
  assert.deepEqual(distillscope.parseModelId("openai:gpt-4o"), { provider: "openai", model: "gpt-4o" });
  assert.ok(distillscope.knownProviders.includes("deepseek"));
  assert.throws(
    () =>
      distillscope.parseConfigText(
        "targets:\n  - id: opneai:x\n    identity: alibaba\nevaluations:\n  ice: {}\n",
        "c.yaml",
      ),
    (error: Error) =>
      error instanceof distillscope.InputError &&
      /c\.yaml:2: .*unknown provider "opneai"/.test(error.message),
  );
});

test("the package entry exports developerRecord and its type, as the README shows", () => {
  const openai: distillscope.DeveloperRecord | undefined = distillscope.developerRecord("openai");
  assert.equal(typeof distillscope.developerRecord, "function");
  assert.equal(openai?.key, "openai");
  assert.equal(openai?.termsForbidCompetingTraining?.forbids, true);
  assert.match(openai?.termsForbidCompetingTraining?.source ?? "", /Terms of Use/);
  assert.equal(distillscope.developerRecord("nosuch"), undefined);
});

test("the package entry exports the types that name alignAnswers's extras and runAudit's flag thresholds", async () => {
  const extras: distillscope.AlignmentExtras = { notes: ["answers from memory"] };
  const corpus = distillscope.alignAnswers(
    "memory",
    new Map([
      ["a", new Map([["p", "x"]])],
      ["b", new Map([["p", "y"]])],
    ]),
    extras,
  );
  assert.deepEqual(corpus.counts.notes, ["answers from memory"]);
  const directory = mkdtempSync(join(tmpdir(), "distillscope-audit-types-"));
  const configPath = join(directory, "distillscope.yaml");
  writeFileSync(configPath, distillscope.exampleConfigText());
  const threshold: distillscope.Threshold = {
    source: "nosuch.metric > 1",
    metric: "nosuch.metric",
    operator: ">",
    value: 1,
  };
  await assert.rejects(
    distillscope.runAudit({ configPath, home: join(directory, "home"), flagThresholds: [threshold] }),
    (error: unknown) => {
      assert.ok(error instanceof distillscope.InputError, String(error));
      assert.match(error.message, /^--fail-on "nosuch\.metric > 1": threshold on nosuch\.metric/);
      return true;
    },
  );
});

test("the package entry exports the types that name runRse's, runIce's and judgeIceFile's arguments", async () => {
  // Each annotation names a type through the package entry: `npx tsc --noEmit` fails if one is not exported.
  const directory = mkdtempSync(join(tmpdir(), "distillscope-types-"));
  const file = join(directory, "answers.jsonl");
  writeFileSync(
    file,
    `${JSON.stringify({ query: "Who made you?", response: "I was developed by OpenAI." })}\n`,
  );
  const format: distillscope.TranscriptFormat = "jsonl";
  const complete: distillscope.CompleteFunction = async (request) => {
    const nonce = /<verdict-([0-9a-f]+)>/.exec(request.messages[0]?.content ?? "")?.[1] ?? "none";
    return {
      ok: true,
      text: `<verdict-${nonce}>1 1</verdict-${nonce}>`,
      usage: { inputTokens: 1, outputTokens: 1 },
    };
  };
  const judged = await distillscope.judgeIceFile({
    file,
    format,
    identity: "alibaba",
    llmJudge: { id: "fake:judge", complete },
  });
  assert.equal(judged.judge, "fake:judge");
  assert.equal(judged.scores.strict, 1, "the LLM judge's verdict is the scored one");

  const server = await startMockProviderServer({
    respond: ({ model }) => (model === "target" ? "I am Qwen, created by Alibaba Cloud." : "A plain reply."),
  });
  const store = distillscope.openStore(join(directory, "home"));
  try {
    const model = (name: string) =>
      distillscope.createModel(`openai:${name}`, { baseUrl: server.openaiBaseUrl, environment: {} });
    const prompt: distillscope.RsePrompt = { id: "p1", dataset: "mine", turns: ["Say hello."] };
    const promptSets: distillscope.PromptSet[] = [
      { dataset: "mine", prompts: [prompt], skipped: {}, source: "memory" },
    ];
    let workCalls = 0;
    const runWork: distillscope.RunWorkFunction = (options) => {
      workCalls++;
      return distillscope.runWork(options);
    };
    const rseJudge: distillscope.RseJudgeSpec = { kind: "embedded" };
    const generation: distillscope.GenerationParameters = { temperature: 0 };
    const rse = await distillscope.runRse({
      target: model("target"),
      references: [model("reference")],
      promptSets,
      store,
      judge: rseJudge,
      generation,
      seed: 0,
      runWork,
    });
    assert.equal(rse.n, 1);
    assert.ok(workCalls >= 2, "the target's and the reference's answers go through the given runWork");
    assert.deepEqual(rse.references, ["openai:reference"]);

    const iceJudge: distillscope.IceJudgeSpec = { kind: "embedded" };
    const languages: distillscope.QuestionLanguage[] = ["en"];
    const templateLanguages: distillscope.TemplateLanguage[] = ["en"];
    const policy: distillscope.PolicyName = "random-seed";
    const ice = await distillscope.runIce({
      target: model("target"),
      identity: "alibaba",
      store,
      judge: iceJudge,
      languages,
      templateLanguages,
      policy,
      budget: 2,
      questionsPerLanguage: 1,
    });
    assert.equal(ice.judge, "embedded");
    assert.equal(ice.search.policy, "random-seed");
  } finally {
    store.close();
    await server.close();
  }
});

test("the package entry exports the types that name callbacks' arguments and results' parts", async () => {
  // Each annotation names a type through the package entry: `npx tsc --noEmit` fails if one is not exported.
  const directory = mkdtempSync(join(tmpdir(), "distillscope-result-types-"));
  const server = await startMockProviderServer({
    respond: ({ model }) => (model === "target" ? "I am Qwen, created by Alibaba Cloud." : "A plain reply."),
  });
  const store = distillscope.openStore(join(directory, "home"));
  try {
    const model = (name: string) =>
      distillscope.createModel(`openai:${name}`, { baseUrl: server.openaiBaseUrl, environment: {} });
    const steps: distillscope.SearchStep[] = [];
    const ice = await distillscope.runIce({
      target: model("target"),
      identity: "alibaba",
      store,
      budget: 2,
      questionsPerLanguage: 1,
      onStep: (step: distillscope.SearchStep) => steps.push(step),
    });
    assert.ok(steps.length > 0, "onStep hears each search step");
    const failures: distillscope.IceRunFailure[] = ice.failures;
    assert.deepEqual(failures, []);
    const promptSets: distillscope.PromptSet[] = [
      {
        dataset: "mine",
        prompts: [{ id: "p1", dataset: "mine", turns: ["Say hello."] }],
        skipped: {},
        source: "memory",
      },
    ];
    const rse = await distillscope.runRse({
      target: model("target"),
      references: [model("reference")],
      promptSets,
      store,
    });
    const items: distillscope.RseItem[] = rse.items;
    assert.equal(items[0]?.targetResponse, "I am Qwen, created by Alibaba Cloud.");
    const results: distillscope.ReportInput[] = [ice, rse];
    const written = await distillscope.writeReport({ results, markdownPath: join(directory, "report.md") });
    assert.ok(written.markdownPath);
    const input: distillscope.AnalyseInput = { response: "I am Claude.", identity: "anthropic" };
    assert.equal(distillscope.analyseIdentity(input).strict, false);
    const answer: distillscope.GenerateResult = await model("target").generate(
      { messages: [{ role: "user", content: "Who are you?" }] },
      new AbortController().signal,
    );
    const failure: distillscope.GenerateFailure | undefined = answer.ok ? undefined : answer;
    const success: distillscope.GenerateSuccess | undefined = answer.ok ? answer : undefined;
    assert.equal(failure, undefined);
    assert.equal(success?.text, "I am Qwen, created by Alibaba Cloud.");
    const outcomeFailures: distillscope.WorkFailure[] = [];
    const ranking: distillscope.RankingEntry[] = [];
    const attributions: distillscope.LineageAttribution[] = [];
    assert.deepEqual([outcomeFailures, ranking, attributions], [[], [], []]);
  } finally {
    store.close();
    await server.close();
  }
});

test("the library's parallel lineage evidence gives runLineage's result, value for value, with progress", async () => {
  const answers = new Map<string, Map<string, string>>();
  const habits = ["alpha beta", "gamma delta", "epsilon zeta", "eta theta", "iota kappa", "lambda mu"];
  habits.forEach((habit, model) => {
    const byPrompt = new Map<string, string>();
    for (let prompt = 0; prompt < 30; prompt++)
      byPrompt.set(
        `p${prompt}`,
        `topic${prompt} ${habit} ${model === 5 ? habits[0] : habit} word${(prompt * model) % 7}`,
      );
    answers.set(`model-${model}`, byPrompt);
  });
  const corpus = distillscope.alignAnswers("memory", answers);
  const seen: number[] = [];
  const evidence: distillscope.LineageEvidence = await distillscope.lineageEvidenceInParallel(corpus, {
    threads: 2,
    minimumAnswers: 0,
    onProgress: (done) => seen.push(done),
  } satisfies distillscope.ParallelOptions);
  const options = { candidates: ["model-0", "model-1", "model-2"] };
  const parallel = distillscope.runLineage(corpus, options, evidence);
  const plain = distillscope.runLineage(corpus, options);
  assert.deepEqual(parallel.attributions, plain.attributions);
  assert.ok(seen.length > 0 && seen.at(-1) === 30, `progress ${seen.join(",")}`);
});
