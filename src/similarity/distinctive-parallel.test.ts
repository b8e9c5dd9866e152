import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import { seededRandom } from "../metrics/random.ts";
import { distinctiveSimilarity } from "./distinctive.ts";
import { distinctiveSimilarityInParallel } from "./distinctive-parallel.ts";

/** Answers with shared topic words, per-model habits and some empty answers, in English and Chinese. */
function corpus(models: number, prompts: number, seed: number) {
  const random = seededRandom(seed);
  const words = ["alpha", "beta", "gamma", "delta", "list", "step", "first", "finally", "模型", "回答"];
  const answers = Array.from({ length: models }, (_, model) =>
    Array.from({ length: prompts }, (_, prompt) => {
      if (random() < 0.05) return "";
      const length = 5 + Math.floor(random() * 30);
      const body = Array.from({ length }, () =>
        random() < 0.3
          ? `habit${model}`
          : random() < 0.5
            ? `topic${prompt}`
            : words[Math.floor(random() * 10)],
      );
      return `${random() < 0.3 ? "1. " : ""}${body.join(" ")}${random() < 0.2 ? "!" : "."}`;
    }),
  );
  const promptTexts = Array.from({ length: prompts }, (_, prompt) => `question about topic${prompt}`);
  return { answers, promptTexts };
}

describe("distinctive similarity in parallel", () => {
  it("gives the same values as one thread, value for value, for 2 and 3 threads", async () => {
    const { answers, promptTexts } = corpus(9, 61, 3);
    const expected = distinctiveSimilarity(answers, promptTexts);
    for (const threads of [2, 3]) {
      const actual = await distinctiveSimilarityInParallel(answers, promptTexts, {
        threads,
        minimumAnswers: 0,
      });
      assert.equal(actual.models, expected.models);
      assert.equal(actual.prompts, expected.prompts);
      assert.equal(actual.values.length, expected.values.length);
      let differences = 0;
      for (let index = 0; index < expected.values.length; index++)
        if (!Object.is(actual.values[index], expected.values[index])) differences++;
      assert.equal(differences, 0, `${threads} threads: ${differences} values differ`);
    }
  });

  it("reports progress up to every prompt, never backwards, from the workers and from one thread", async () => {
    const { answers, promptTexts } = corpus(6, 70, 9);
    for (const options of [{ threads: 2, minimumAnswers: 0 }, { threads: 1 }]) {
      const seen: number[] = [];
      await distinctiveSimilarityInParallel(answers, promptTexts, {
        ...options,
        onProgress: (done, total) => {
          assert.equal(total, 70);
          seen.push(done);
        },
      });
      assert.ok(seen.length >= 2, `${seen.length} reports`);
      assert.equal(seen.at(-1), 70);
      for (let index = 1; index < seen.length; index++) assert.ok(seen[index]! >= seen[index - 1]!);
    }
  });

  it("falls back to the main thread, with the same values, when a worker fails", async () => {
    const { answers, promptTexts } = corpus(5, 40, 13);
    const expected = distinctiveSimilarity(answers, promptTexts);
    const folder = mkdtempSync(join(tmpdir(), "distinctive-worker-"));
    try {
      const failing = join(folder, "failing-worker.mjs");
      writeFileSync(failing, 'throw new Error("no memory for this thread");\n');
      const actual = await distinctiveSimilarityInParallel(answers, promptTexts, {
        threads: 2,
        minimumAnswers: 0,
        workerModule: pathToFileURL(failing),
      });
      assert.deepEqual(Array.from(actual.values), Array.from(expected.values));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("gives the same values where it stays on one thread (a small corpus, or threads: 1)", async () => {
    const { answers } = corpus(4, 10, 5);
    const expected = distinctiveSimilarity(answers);
    for (const options of [{ threads: 4 }, { threads: 1, minimumAnswers: 0 }]) {
      const actual = await distinctiveSimilarityInParallel(answers, undefined, options);
      assert.deepEqual(Array.from(actual.values), Array.from(expected.values));
    }
  });
});
