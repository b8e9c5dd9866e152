/**
 * Every function the package exports, called with arguments of the wrong kind (nothing, null, a string
 * where a list is expected...): each call is an InputError naming the function and the argument, never a
 * TypeError from deep inside. A function exported later without a row here fails the first test.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import * as library from "./index.ts";
import { syntheticCorpus } from "./metrics/lineage-synthetic.ts";

const folder = mkdtempSync(join(tmpdir(), "index-arguments-"));
const store = library.openStore(join(folder, "home"));
after(() => {
  store.close?.();
  rmSync(folder, { recursive: true, force: true });
});

const corpus = syntheticCorpus(1);
const reportModel = library.buildReportModel([]);
const iceOptions = { identity: "alibaba", judge: "embedded" };
// Stand-ins for wrong values that TypeScript would refuse: what a JavaScript caller can pass.
const wrong = (value: unknown) => value as never;

/** A call with a wrong argument and the message that must name it. */
type Row = [call: () => unknown, message: RegExp];

/** Messages that start with the function's name: `scoreIce: inputs must be a list ...`. */
const named: Record<string, Row[]> = {
  alignAnswers: [
    [() => library.alignAnswers(wrong(undefined), new Map()), /^alignAnswers: source must be a string/],
    [() => library.alignAnswers("memory", new Map(), wrong(null)), /^alignAnswers needs an options object/],
  ],
  analyseIdentity: [[() => library.analyseIdentity(wrong(undefined)), /^analyseIdentity: response must be/]],
  declareDevelopers: [
    [() => library.declareDevelopers(wrong("acme")), /^declareDevelopers: developers must be a list/],
    [() => library.declareDevelopers([wrong(null)]), /^declareDevelopers: developers\[0\] must be an object/],
    [
      () => library.declareDevelopers([wrong({ key: "acme", name: 7 })]),
      /^declareDevelopers: developers\[0\]\.name: expected a name \(text\), got 7/,
    ],
  ],
  buildManifest: [
    [() => library.buildManifest(wrong(undefined)), /^buildManifest needs an options object/],
    [
      () => library.buildManifest({ directory: folder, results: wrong("ice.json") }),
      /results must be a list/,
    ],
    [
      () => library.buildManifest({ directory: folder, results: [], reports: wrong("a.html") }),
      /reports must/,
    ],
  ],
  buildReportModel: [
    [() => library.buildReportModel(wrong("ice.json")), /^buildReportModel: results must be a list/],
    [() => library.buildReportModel(wrong([{ kind: "ice" }])), /results\[0\] .*not the result itself$/],
  ],
  collect: [[() => library.collect(wrong(undefined)), /^collect needs an options object/]],
  createModel: [
    [() => library.createModel("openai:gpt-4o", wrong(null)), /^createModel needs an options object/],
  ],
  identityForModelId: [
    [() => library.identityForModelId(wrong(undefined)), /^identityForModelId: id must be/],
  ],
  identityFromModelId: [
    [() => library.identityFromModelId(wrong(undefined)), /^identityFromModelId: id must be/],
    [
      () => library.identityFromModelId("openai:acme-7b", wrong("acme")),
      /^identityFromModelId: developers must be a list/,
    ],
    [
      () => library.identityFromModelId("openai:acme-7b", [{ key: "acme", name: "ChatGPT" }]),
      /^identityFromModelId: developers\[0\]\.name: "ChatGPT" is already a name of the registry developer "openai"/,
    ],
  ],
  judgeEmbedded: [
    [() => library.judgeEmbedded(wrong("rows"), "alibaba"), /^judgeEmbedded: rows must be a list/],
    [() => library.judgeEmbedded([], wrong(3)), /^judgeEmbedded: identity must be a string/],
  ],
  judgeIceAnswers: [
    [() => library.judgeIceAnswers(wrong("x"), wrong({})), /^judgeIceAnswers: answers must be/],
    [
      () => library.judgeIceAnswers([{ query: "Who?", response: "Qwen" }], wrong("alibaba")),
      /^judgeIceAnswers needs an options object .*got "alibaba"$/,
    ],
  ],
  judgeIceFile: [[() => library.judgeIceFile(wrong(undefined)), /^judgeIceFile needs an options object/]],
  lineageEvidenceInParallel: [
    [
      () => library.lineageEvidenceInParallel(wrong(undefined)),
      /^lineageEvidenceInParallel needs an aligned corpus/,
    ],
    [
      () => library.lineageEvidenceInParallel(corpus, wrong(null)),
      /^lineageEvidenceInParallel needs an options/,
    ],
    [
      () => library.lineageEvidenceInParallel(corpus, { threads: 0 }),
      /^lineageEvidenceInParallel: threads must/,
    ],
    [
      () => library.lineageEvidenceInParallel(corpus, { onProgress: wrong("log") }),
      /^lineageEvidenceInParallel: onProgress must be a function/,
    ],
  ],
  loadPromptSets: [
    [() => library.loadPromptSets(["default"], wrong(null)), /^loadPromptSets needs an options/],
  ],
  loadResult: [
    [() => library.loadResult(wrong(undefined)), /^loadResult: path must be a path, got nothing$/],
  ],
  parseConfigText: [
    [() => library.parseConfigText(wrong(undefined), "x.yaml"), /^parseConfigText: text must be a string/],
    [
      () => library.parseConfigText("version: 1\n", wrong({})),
      /^parseConfigText: fileLabel must be a string/,
    ],
  ],
  loadCorpusInputs: [
    [
      () => library.loadCorpusInputs(wrong("results")),
      /^loadCorpusInputs: give a list of \{path, format\?\}/,
    ],
    [() => library.loadCorpusInputs(wrong([null])), /^loadCorpusInputs: every input must be a list/],
  ],
  parseResult: [[() => library.parseResult({}, wrong(42)), /^parseResult: source must be a string/]],
  readLee2025: [[() => library.readLee2025(wrong(undefined)), /^readLee2025: file must be a path/]],
  readPromptFile: [
    [() => library.readPromptFile(wrong(null)), /^readPromptFile: path must be a path, got null$/],
  ],
  redactSecrets: [
    [() => library.redactSecrets(wrong(undefined)), /^redactSecrets: text must be a string/],
    [() => library.redactSecrets("text", wrong(null)), /^redactSecrets: environment must be an object/],
  ],
  renderMarkdown: [
    [() => library.renderMarkdown(wrong(undefined)), /^renderMarkdown: model must be a report model/],
    [() => library.renderMarkdown(wrong({})), /^renderMarkdown: model .*without its ice, rse, lineage/],
    [() => library.renderMarkdown(reportModel, wrong(null)), /^renderMarkdown needs an options object/],
    [
      () => library.renderMarkdown(reportModel, { maxQuoteLength: 0 }),
      /^renderMarkdown: maxQuoteLength must/,
    ],
  ],
  runAudit: [[() => library.runAudit(wrong(undefined)), /^runAudit needs \{ configPath, home \}/]],
  runDemo: [[() => library.runDemo(wrong(undefined)), /^runDemo needs \{ home, out \}/]],
  runIce: [[() => library.runIce(wrong(undefined)), /^runIce needs an options object/]],
  runLineage: [
    [() => library.runLineage(wrong("corpus")), /^runLineage needs an aligned corpus/],
    [() => library.runLineage(corpus, wrong(null)), /^runLineage needs an options object/],
    [() => library.runLineage(corpus, {}, wrong({})), /^runLineage: evidence \(the third argument\)/],
  ],
  runRse: [[() => library.runRse(wrong(undefined)), /^runRse needs an options object/]],
  runWork: [[() => library.runWork(wrong(undefined)), /^runWork needs an options object/]],
  scoreIce: [
    [() => library.scoreIce(wrong("x"), iceOptions), /^scoreIce: inputs must be a list, e\.g\. .*, got "x"$/],
    [
      () => library.scoreIce(wrong({ index: 0 }), iceOptions),
      /^scoreIce: inputs must be a list, .*got an object$/,
    ],
    [() => library.scoreIce([], wrong(undefined)), /^scoreIce needs an options object/],
    [() => library.scoreIce([], wrong({ judge: "embedded" })), /^scoreIce: identity must be a string/],
    [
      () => library.scoreIce([], { ...iceOptions, resamples: 0 }),
      /^scoreIce: resamples must be a whole number/,
    ],
  ],
  signInBeforeRequests: [
    [() => library.signInBeforeRequests(wrong(undefined)), /^signInBeforeRequests: models must be a list/],
    [
      () => library.signInBeforeRequests(wrong("openai:gpt-4o")),
      /^signInBeforeRequests: models must be a list/,
    ],
  ],
  writeReport: [[() => library.writeReport(wrong(undefined)), /^writeReport needs an options object/]],
};

/**
 * Older messages, shared with the CLI (their flag in brackets) and asserted by their own tests: they
 * name the argument, not the function.
 */
const namedByArgument: Record<string, Row[]> = {
  exportTranscripts: [
    [() => library.exportTranscripts(wrong(undefined), "x.jsonl"), /^store must be a Store/],
  ],
  importTranscripts: [
    [() => library.importTranscripts(store, wrong(undefined)), /^the transcripts file must be/],
  ],
  loadAlpacaEvalCorpus: [
    [() => library.loadAlpacaEvalCorpus(wrong(undefined)), /^the AlpacaEval results folder must be a path/],
  ],
  loadConfig: [[() => library.loadConfig(wrong(undefined)), /^the config path must be a path/]],
  loadTranscriptsCorpus: [
    [() => library.loadTranscriptsCorpus(wrong(7)), /^the transcripts folder must be a path/],
  ],
  openStore: [[() => library.openStore(wrong(undefined)), /^the store home must be a path/]],
  parseModelId: [[() => library.parseModelId(wrong(undefined)), /^model id must be a string/]],
  resolveDeveloperKey: [
    [() => library.resolveDeveloperKey(wrong(undefined)), /^identity \(--identity\) must be/],
  ],
  verifyManifest: [[() => library.verifyManifest(wrong(undefined)), /^the report folder or manifest\.json/]],
};

/** Functions for which any value is a right one: a lookup, a classification, a template. */
const acceptsAnything: Record<string, () => unknown> = {
  developerKeys: () => library.developerKeys(),
  developerRecord: () => library.developerRecord(wrong(undefined)),
  exampleConfigText: () => library.exampleConfigText(wrong(undefined)),
  exitCodeFor: () => library.exitCodeFor(undefined),
};

/** Calls `call`, reading the first item of an async generator (readLee2025 checks when it is read). */
async function settle(call: () => unknown): Promise<unknown> {
  const value = await call();
  if (value !== null && typeof value === "object" && Symbol.asyncIterator in value)
    for await (const _ of value as AsyncIterable<unknown>) break;
  return value;
}

test("every exported function has a row here", () => {
  const isClass = (value: unknown) => /^class\b/.test(Function.prototype.toString.call(value));
  const exported = Object.entries(library)
    .filter(([, value]) => typeof value === "function" && !isClass(value))
    .map(([name]) => name)
    .sort();
  const covered = [...Object.keys(named), ...Object.keys(namedByArgument), ...Object.keys(acceptsAnything)];
  assert.deepEqual(exported, [...covered].sort());
});

for (const [name, rows] of Object.entries(named))
  test(`${name}: wrong arguments are InputErrors that name ${name} and the argument`, async () => {
    for (const [call, message] of rows)
      await assert.rejects(
        () => settle(call),
        (error: unknown) =>
          error instanceof library.InputError &&
          error.message.startsWith(name) &&
          message.test(error.message),
      );
  });

for (const [name, rows] of Object.entries(namedByArgument))
  test(`${name}: wrong arguments are InputErrors that name the argument`, async () => {
    for (const [call, message] of rows)
      await assert.rejects(
        () => settle(call),
        (error: unknown) => error instanceof library.InputError && message.test(error.message),
      );
  });

test("lookups and classifications take any value without throwing", async () => {
  for (const [name, call] of Object.entries(acceptsAnything))
    await assert.doesNotReject(() => settle(call), name);
});
