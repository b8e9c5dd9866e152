import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test from "node:test";
import { InputError } from "../errors.ts";
import { schemaVersion } from "../version.ts";
import { loadResult, parseResult, toBounds } from "./result-schema.ts";
import { sampleIceResult, sampleLineageResult, sampleRseResult } from "./sample-results.ts";

const directory = mkdtempSync(join(tmpdir(), "distillscope-result-schema-"));

function writeJson(name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}

test("valid ice, rse and lineage results load with their extra fields kept", () => {
  for (const result of [
    sampleIceResult({ target: "a", items: 5 }),
    sampleRseResult({ target: "a" }),
    sampleLineageResult(),
  ]) {
    const path = writeJson(`${result.kind}.json`, JSON.stringify(result));
    const loaded = loadResult(path);
    assert.equal(loaded.kind, result.kind);
    assert.deepEqual(loaded, JSON.parse(JSON.stringify(result)));
  }
});

test("null scores and verdicts (NaN in JSON, judge failures) are accepted", () => {
  const result = JSON.parse(JSON.stringify(sampleIceResult({ target: "a", items: 3 })));
  // Every verdict failed: no rate, and nothing judged.
  for (const item of result.items) {
    item.loose = null;
    item.strict = null;
    item.hard = null;
  }
  result.n = 0;
  result.scores = { loose: null, strict: null, hard: null };
  result.items[0].template = null;
  result.intervals.loose = { low: null, high: null, level: 0.95, method: "x" };
  const parsed = parseResult(result, "nan.json");
  assert.equal(parsed.kind, "ice");
});

function assertInputError(action: () => unknown, pattern: RegExp): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof InputError, `expected InputError, got ${String(error)}`);
    assert.match(error.message, pattern);
    assert.doesNotMatch(error.message, /\n/);
    return true;
  });
}

test("a result of the wrong kind gets one clear InputError naming the file", () => {
  const path = writeJson(
    "collect.json",
    JSON.stringify({ schemaVersion: 1, kind: "collect", toolVersion: "0", createdAt: "x" }),
  );
  assertInputError(
    () => loadResult(path),
    /collect\.json: field "kind" is "collect"; a report reads results of kind "ice", "rse" or "lineage"/,
  );
  assertInputError(() => parseResult([1, 2], "array.json"), /array\.json: not a result JSON object/);
  assertInputError(() => parseResult({ schemaVersion: 1 }, "nokind.json"), /field "kind" is missing/);
});

test("a newer or unknown schemaVersion is refused with the fix", () => {
  const newer = { ...sampleIceResult({ target: "a", items: 1 }), schemaVersion: schemaVersion + 1 };
  assertInputError(
    () => parseResult(newer, "newer.json"),
    /newer\.json: schemaVersion \d+ is newer than this tool reads \(\d+\); upgrade distillscope/,
  );
  const broken = { ...sampleIceResult({ target: "a", items: 1 }), schemaVersion: "one" };
  assertInputError(() => parseResult(broken, "broken.json"), /field "schemaVersion" is "one"/);
});

test("invalid JSON, a missing file and a missing field are InputErrors, not crashes", () => {
  assertInputError(() => loadResult(writeJson("bad.json", "{ not json")), /bad\.json: invalid JSON/);
  assertInputError(
    () => loadResult(join(directory, "absent.json")),
    /absent\.json: cannot read the result file \(ENOENT\)/,
  );
  const result = JSON.parse(JSON.stringify(sampleIceResult({ target: "a", items: 2 })));
  delete result.items[1].response;
  assertInputError(
    () => parseResult(result, "missing.json"),
    /missing\.json: ice result field "items\.1\.response"/,
  );
  const lineage = JSON.parse(JSON.stringify(sampleLineageResult()));
  lineage.attributions[0].pValue = 7;
  assertInputError(() => parseResult(lineage, "p.json"), /field "attributions\.0\.pValue"/);
});

test("intervals are read in every accepted form", () => {
  assert.deepEqual(toBounds({ low: 0.1, high: 0.2, level: 0.95 }), { low: 0.1, high: 0.2 });
  assert.deepEqual(toBounds({ lower: 0.1, upper: 0.3 }), { low: 0.1, high: 0.3 });
  assert.deepEqual(toBounds([0.4, 0.5]), { low: 0.4, high: 0.5 });
  assert.equal(toBounds({ low: null, high: null }), undefined);
  assert.equal(toBounds("0.1-0.2"), undefined);
  assert.equal(toBounds(undefined), undefined);
});

test("an ICE result may carry published reference figures; they are kept as written", () => {
  const result = {
    ...sampleIceResult({ target: "glm-4-plus", items: 3 }),
    referenceFigures: {
      source: "Lee et al. 2025 (arXiv 2501.12619), Figure 2",
      label: "GLM4-Plus",
      published: { loose: 0.42, strict: 0.3, hard: null },
      recomputed: { strict: 0.297 },
      note: "recomputed from the paper's files",
      pages: [4],
    },
  };
  const parsed = parseResult(JSON.parse(JSON.stringify(result)), "reference.json");
  assert.deepEqual(parsed, JSON.parse(JSON.stringify(result)));
  const onlyRecomputed = { ...result, referenceFigures: { source: "x", recomputed: { loose: 0 } } };
  assert.equal(parseResult(onlyRecomputed, "recomputed.json").kind, "ice");
});

test("malformed reference figures are one InputError naming the field", () => {
  const base = sampleIceResult({ target: "glm-4-plus", items: 2 });
  const withFigures = (referenceFigures: unknown) => ({ ...base, referenceFigures });
  const cases: Array<[unknown, RegExp]> = [
    [{ source: "x", published: { loose: 1.5 } }, /field "referenceFigures\.published\.loose": Too big/],
    [{ source: "x", published: { strict: "0.3" } }, /field "referenceFigures\.published\.strict"/],
    [
      { source: "x", recomputed: { lose: 0.3 } },
      /field "referenceFigures\.recomputed": Unrecognized key: "lose"/,
    ],
    [{ published: { loose: 0.3 } }, /field "referenceFigures\.source"/],
    [
      { source: "  ", published: { loose: 0.3 } },
      /field "referenceFigures\.source": needs a non-empty source/,
    ],
    [{ source: "x" }, /field "referenceFigures": needs published or recomputed figures/],
    [{ source: "x", published: { loose: 0.3 }, note: 7 }, /field "referenceFigures\.note"/],
    ["Figure 2", /field "referenceFigures"/],
  ];
  for (const [figures, pattern] of cases)
    assertInputError(() => parseResult(withFigures(figures), "figures.json"), pattern);
});

test("a score or interval off its scale, or an interval upside down, is named (edited by hand)", () => {
  const ice = () => JSON.parse(JSON.stringify(sampleIceResult({ target: "a", items: 5 })));
  const rse = () => JSON.parse(JSON.stringify(sampleRseResult({ target: "a" })));
  const strictTooHigh = ice();
  strictTooHigh.scores.strict = 1.7;
  assertInputError(
    () => parseResult(strictTooHigh, "ice.json"),
    /^ice\.json: ice result field "scores\.strict": outside the scale 0\.\.1;/,
  );
  const looseNegative = ice();
  looseNegative.scores.loose = -0.2;
  assertInputError(
    () => parseResult(looseNegative, "ice.json"),
    /field "scores\.loose": outside the scale 0\.\.1/,
  );
  const upsideDown = ice();
  upsideDown.intervals.strict = { low: 0.9, high: 0.2, level: 0.95 };
  assertInputError(
    () => parseResult(upsideDown, "ice.json"),
    /field "intervals\.strict": low 0\.9 is above high 0\.2/,
  );
  const similarityTooHigh = rse();
  similarityTooHigh.scores.style = 9;
  assertInputError(
    () => parseResult(similarityTooHigh, "rse.json"),
    /^rse\.json: rse result field "scores\.style": outside the scale 1\.\.5;/,
  );
  const intervalOffScale = rse();
  intervalOffScale.intervals.overall = [0.2, 0.4];
  assertInputError(
    () => parseResult(intervalOffScale, "rse.json"),
    /field "intervals\.overall": \[0\.2, 0\.4\] leaves the scale 1\.\.5/,
  );
  // The ends of a scale, rounding just past them, and intervals without bounds still load.
  const edges = rse();
  edges.scores = { overall: 5, style: 1, logic: 5.000000000000001, content: null };
  edges.intervals = { overall: { low: 5, high: 5 }, content: { low: null, high: null, note: "too few" } };
  edges.items = []; // nothing to recompute the edited scores from
  assert.equal(parseResult(edges, "rse.json").kind, "rse");
});

test("what a model refused (generation.sentWithout, answerCounts[model].sentWithout) is kept; a wrong name is named", () => {
  const ice = JSON.parse(JSON.stringify(sampleIceResult({ target: "openai:o3", items: 5 })));
  ice.generation = { temperature: 0, sentWithout: ["temperature"] };
  assert.deepEqual((parseResult(ice, "ice.json") as Record<string, unknown>).generation, ice.generation);
  ice.generation.sentWithout = ["temprature"];
  assertInputError(
    () => parseResult(ice, "ice.json"),
    /^ice\.json: ice result field "generation\.sentWithout\.0"/,
  );
  const rse = JSON.parse(JSON.stringify(sampleRseResult({ target: "openai:o3" })));
  rse.generation = { temperature: 0 };
  rse.answerCounts = {
    "openai:o3": { turns: 15, answered: 15, empty: 0, failed: 0, sentWithout: ["temperature"] },
  };
  assert.deepEqual((parseResult(rse, "rse.json") as Record<string, unknown>).answerCounts, rse.answerCounts);
  rse.answerCounts["openai:o3"].sentWithout = "temperature";
  assertInputError(
    () => parseResult(rse, "rse.json"),
    /^rse\.json: rse result field "answerCounts\.openai:o3\.sentWithout"/,
  );
});

test("an RSE result's prompt sets are kept; a malformed count, reason map or name is named", () => {
  const rse = JSON.parse(JSON.stringify(sampleRseResult({ target: "qwen" })));
  assert.equal(parseResult(rse, "rse.json").kind, "rse", "a result without prompts loads");
  rse.prompts = [
    {
      dataset: "sharegpt",
      source: "sg.json",
      prompts: 11,
      turns: 20,
      skipped: { "no human turn": 1 },
      shortened: { cut: 2 },
    },
  ];
  assert.deepEqual((parseResult(rse, "rse.json") as Record<string, unknown>).prompts, rse.prompts);
  const malformed: Array<[(set: Record<string, unknown>) => void, RegExp]> = [
    [(set) => (set.skipped = { "no human turn": -1 }), /field "prompts\.0\.skipped\.no human turn"/],
    [(set) => (set.skipped = { "no human turn": 1.5 }), /field "prompts\.0\.skipped\.no human turn"/],
    [(set) => (set.shortened = { cut: "2" }), /field "prompts\.0\.shortened\.cut"/],
    [(set) => (set.skipped = [1]), /field "prompts\.0\.skipped"/],
    [(set) => delete set.skipped, /field "prompts\.0\.skipped"/],
    [(set) => (set.dataset = 3), /field "prompts\.0\.dataset"/],
    [(set) => (set.source = null), /field "prompts\.0\.source"/],
  ];
  for (const [damage, field] of malformed) {
    const copy = JSON.parse(JSON.stringify(rse));
    damage(copy.prompts[0]);
    assertInputError(() => parseResult(copy, "rse.json"), field);
  }
  rse.prompts = { sharegpt: {} };
  assertInputError(() => parseResult(rse, "rse.json"), /^rse\.json: rse result field "prompts": /);
});
