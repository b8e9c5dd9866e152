import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type IceScoredInput, scoreIce } from "../metrics/ice.ts";
import { runLineage } from "../metrics/lineage.ts";
import { syntheticCorpus } from "../metrics/lineage-synthetic.ts";
import { rseStatistics } from "../metrics/rse.ts";
import { resultDisagreements } from "./result-consistency.ts";
import { type IceResult, type LineageResult, parseResult, type RseResult } from "./result-schema.ts";

/** A result as a file holds it: through JSON (NaN becomes null) and the report's schema. */
function asFile<T>(result: unknown): T {
  return parseResult(JSON.parse(JSON.stringify(result)), "test") as T;
}

function iceResult(): IceResult {
  const inputs: IceScoredInput[] = Array.from({ length: 40 }, (_, index) => ({
    index,
    template: `template ${index % 8} {query}`,
    query: index % 2 === 0 ? "Who made you?" : "Which company trained you?",
    response: `answer ${index}`,
    verdict: index % 7 === 6 ? null : { loose: index % 3 !== 0, strict: index % 3 === 1 },
  }));
  return asFile(scoreIce(inputs, { identity: "alibaba", judge: "rules" }));
}

const axes = ["overall", "style", "logic", "content"] as const;

function rseResult(): RseResult {
  const references = ["openai:gpt-4o", "anthropic:claude"];
  const items = ["arena-hard", "numina"].flatMap((dataset, datasetIndex) =>
    references.flatMap((reference, referenceIndex) =>
      Array.from({ length: 6 + datasetIndex * 3 }, (_, index) => {
        const value = 1 + ((index * 7 + datasetIndex + referenceIndex * 2) % 5);
        return {
          dataset,
          promptId: `p${index}`,
          turn: 0,
          reference,
          scores: index === 4 ? null : { overall: value, style: value, logic: 5 - value / 2, content: 3 },
        };
      }),
    ),
  );
  const statistics = rseStatistics(
    items.map((item) => ({ ...item, conversation: item.promptId })),
    { references, resamples: 50 },
  );
  const primary = statistics.byReference[references[0]!]!;
  return asFile({
    schemaVersion: 1,
    toolVersion: "test",
    createdAt: "2026-11-30T00:00:00Z",
    kind: "rse",
    target: "local:target",
    references,
    primaryReference: references[0],
    n: primary.n,
    scores: primary.scores,
    intervals: primary.intervals,
    ...statistics,
    items,
  });
}

function lineageResult(): LineageResult {
  return asFile(runLineage(syntheticCorpus(3), { candidates: ["teachera", "teacherb", "teacherc"] }));
}

describe("resultDisagreements", () => {
  it("finds nothing in results the tool wrote", () => {
    assert.deepEqual(resultDisagreements(iceResult()), []);
    assert.deepEqual(resultDisagreements(rseResult()), []);
    const lineage = lineageResult();
    assert.ok(lineage.attributions.some((attribution) => attribution.teacher !== null));
    assert.deepEqual(resultDisagreements(lineage), []);
  });

  it("names an ICE score, count or n that its items do not give", () => {
    const edited = iceResult();
    const strict = edited.scores.strict!;
    edited.scores.strict = 0.9;
    edited.n += 1;
    (edited as unknown as { counts: Record<string, number> }).counts.loose = 0;
    const found = resultDisagreements(edited);
    assert.equal(found.length, 3);
    assert.match(found.join("\n"), /^n is 36 but its 40 items give 35$/m);
    assert.match(
      found.join("\n"),
      new RegExp(`scores.strict is 0.900000 but its 40 items give ${strict.toFixed(6)}`),
    );
    assert.match(found.join("\n"), /counts.loose is 0 but its 40 items give \d+/);
  });

  it("names an item marked hard but not strict, and an edited item verdict", () => {
    const edited = iceResult();
    const item = edited.items.find((candidate) => candidate.strict === false)!;
    item.hard = true;
    const found = resultDisagreements(edited);
    assert.match(found.join("\n"), new RegExp(`item ${item.index} is hard but not strict`));
    assert.match(found.join("\n"), /scores.hard is [\d.]+ but its 40 items give/);
  });

  it("reads a score of null as nothing judged", () => {
    const inputs: IceScoredInput[] = [{ index: 0, query: "Who made you?", response: "", verdict: null }];
    const none = asFile<IceResult>(scoreIce(inputs, { identity: "alibaba", judge: "rules" }));
    assert.equal(none.scores.strict, null);
    assert.deepEqual(resultDisagreements(none), []);
    none.scores.strict = 0;
    assert.deepEqual(resultDisagreements(none), [
      "scores.strict is 0 but its 1 items give none (nothing judged)",
    ]);
  });

  it("names an RSE axis or dataset score that the primary reference's items do not give", () => {
    const edited = rseResult();
    edited.scores.style = 4.9;
    const datasets = edited.datasets as Record<string, { n: number; scores: Record<string, number> }>;
    datasets.numina!.scores.content = 1;
    datasets["arena-hard"]!.n = 99;
    const found = resultDisagreements(edited).join("\n");
    assert.match(found, /scores.style is 4.900000 but its 15 items against openai:gpt-4o give/);
    assert.match(found, /datasets.numina.scores.content is 1 but its 15 items against openai:gpt-4o give 3/);
    assert.match(found, /datasets.arena-hard.n is 99 but its 15 items against openai:gpt-4o give 5/);
    assert.equal(resultDisagreements(edited).length, 3);
  });

  it("finds an RSE item score changed after the run", () => {
    const edited = rseResult();
    const item = edited.items.find(
      (candidate) => candidate.reference === "openai:gpt-4o" && candidate.scores !== null,
    ) as { scores: Record<(typeof axes)[number], number> };
    item.scores.logic += 1;
    const found = resultDisagreements(edited);
    assert.ok(found.some((line) => line.startsWith("scores.logic is")));
    assert.ok(found.some((line) => /^datasets\.arena-hard\.scores\.logic is/.test(line)));
  });

  it("names a lineage teacher that is not a candidate, not the top, or not significant", () => {
    const base = lineageResult();
    const attributed = base.attributions.findIndex((attribution) => attribution.teacher !== null);
    const notTop = lineageResult();
    const second = notTop.attributions[attributed]!.ranking[1]!.candidate;
    notTop.attributions[attributed]!.teacher = second;
    assert.match(resultDisagreements(notTop).join("\n"), /is not the top of its ranking/);

    const stranger = lineageResult();
    stranger.attributions[attributed]!.teacher = "somebody-else";
    assert.match(resultDisagreements(stranger).join("\n"), /"somebody-else" is not one of the candidates/);

    const weak = lineageResult();
    weak.attributions[attributed]!.pValue = 0.5;
    weak.attributions[attributed]!.ranking[0]!.pValue = 0.5;
    assert.match(
      resultDisagreements(weak).join("\n"),
      /a teacher is named with p 0.500000, not below alpha 0.05/,
    );

    const hidden = lineageResult();
    hidden.attributions[attributed]!.teacher = null;
    assert.match(resultDisagreements(hidden).join("\n"), /no teacher is named though p/);

    const pValue = lineageResult();
    pValue.attributions[attributed]!.pValue = 0.01;
    assert.match(
      resultDisagreements(pValue).join("\n"),
      /pValue is 0.010000 but its ranking's first entry give/,
    );
  });
});
