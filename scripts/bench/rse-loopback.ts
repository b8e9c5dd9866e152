/**
 * RSE against loopback servers: a reference model, one that answers in the reference's style and one
 * that answers in a different style (src/rse/loopback-fixture.ts). Runs `rse run` (library) with the
 * embedded judge on the whole default set and with a scripted LLM judge on a sample, prints each axis
 * with its 95% interval for the similar and the dissimilar model, the paired comparison, the time, and
 * PASS when the similar model is significantly nearer on every axis (non-overlapping intervals and
 * Holm-adjusted p < 0.05), FAIL otherwise (exit 1).
 * Usage: node scripts/bench/rse-loopback.ts [llm-judge-sample-size]
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../../src/engine/index.ts";
import { axes } from "../../src/judges/similarity-llm-judge.ts";
import { defaultPromptSet } from "../../src/probes/prompt-sets/default-set.ts";
import { samplePromptSet } from "../../src/probes/prompt-sets/load.ts";
import {
  dissimilarModelName,
  judgeModelName,
  referenceModelName,
  scriptedAnswer,
  scriptedJudgeReply,
  similarModelName,
} from "../../src/rse/loopback-fixture.ts";
import { type RseJudgeSpec, type RseResult, runRse } from "../../src/rse/run.ts";

const needed = ["../../src/models/registry.ts", "../../src/testing/mock-provider-server.ts"];
const missing = needed.filter((path) => !existsSync(new URL(path, import.meta.url)));
if (missing.length > 0) {
  process.stdout.write(`skipped: ${missing.join(", ")} not built yet\n`);
  process.exit(0);
}
const { createModel } = await import("../../src/models/registry.ts");
const { startMockProviderServer } = await import("../../src/testing/mock-provider-server.ts");

const llmSample = Number(process.argv[2] ?? 40);
const server = await startMockProviderServer({
  respond: ({ model, messages }) =>
    model === judgeModelName ? scriptedJudgeReply(messages) : scriptedAnswer(model, messages),
});
const environment = { OPENAI_API_KEY: "sk-loopback-bench" };
const model = (name: string) => createModel(`openai:${name}`, { baseUrl: server.openaiBaseUrl, environment });
const home = mkdtempSync(join(tmpdir(), "rse-bench-"));
const store = openStore(home);

function report(label: string, result: RseResult, seconds: number): boolean {
  const similar = result.byReference[`openai:${similarModelName}`]!;
  const dissimilar = result.byReference[`openai:${dissimilarModelName}`]!;
  const comparison = result.comparisons[0]!;
  process.stdout.write(
    `\n${label}: ${similar.n} turns judged per reference, ${seconds.toFixed(1)} s, judge errors ${result.failures.judge}\n`,
  );
  process.stdout.write(
    "axis      similar (95% CI)          dissimilar (95% CI)       difference (95% CI)   p (Holm)\n",
  );
  let pass = true;
  for (const axis of axes) {
    const near = similar.intervals[axis];
    const far = dissimilar.intervals[axis];
    const entry = comparison.axes[axis];
    const ok = near.low > far.high && entry.pValueHolm < 0.05;
    pass &&= ok;
    const format = (value: number, low: number, high: number) =>
      `${value.toFixed(3)} [${low.toFixed(3)}, ${high.toFixed(3)}]`.padEnd(26);
    process.stdout.write(
      `${axis.padEnd(10)}${format(similar.scores[axis], near.low, near.high)}${format(dissimilar.scores[axis], far.low, far.high)}` +
        `${format(entry.difference, entry.interval.low, entry.interval.high).slice(0, 22)}${entry.pValueHolm.toPrecision(2)}  ${ok ? "ok" : "NOT SEPARATED"}\n`,
    );
  }
  return pass;
}

let allPass = true;
try {
  const runs: Array<{
    label: string;
    judge: RseJudgeSpec;
    promptSets: ReturnType<typeof defaultPromptSet>[];
  }> = [
    {
      label: "embedded judge, default set (84 prompts)",
      judge: { kind: "embedded" },
      promptSets: [defaultPromptSet()],
    },
    {
      label: `scripted LLM judge, ${llmSample} prompts of the default set`,
      judge: { kind: "llm", model: model(judgeModelName), nonceSecret: "bench-secret" },
      promptSets: [samplePromptSet(defaultPromptSet(), llmSample, 1)],
    },
  ];
  for (const { label, judge, promptSets } of runs) {
    const started = performance.now();
    const result = await runRse({
      target: model(referenceModelName),
      references: [model(similarModelName), model(dissimilarModelName)],
      promptSets,
      store,
      judge,
      seed: 1,
    });
    allPass = report(label, result, (performance.now() - started) / 1000) && allPass;
  }
} finally {
  store.close?.();
  await server.close();
  rmSync(home, { recursive: true, force: true });
}
process.stdout.write(
  `\n${allPass ? "PASS" : "FAIL"}: similar-style model significantly nearer on every axis\n`,
);
process.exit(allPass ? 0 : 1);
