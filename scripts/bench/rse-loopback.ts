/**
 * RSE against loopback HTTP servers (one for the target, one for both references, one for the judge):
 * a target T, a reference A that answers in T's style (paraphrased, sometimes reordered) and a
 * reference B that answers in another style (src/rse/loopback-fixture.ts). Runs `rse run` (library,
 * through the engine, the OpenAI adapter and a SQLite store) with the embedded judge and with a
 * scripted LLM judge, prints each axis with its 95% interval for A and B, the paired comparison and
 * the time, then runs each again and prints how many requests the servers got (0 = resumed from the
 * store). PASS when A is significantly nearer on every axis (non-overlapping intervals and
 * Holm-adjusted p < 0.05) and re-runs ask nothing, FAIL otherwise (exit 1).
 * Usage: node scripts/bench/rse-loopback.ts [llm-judge-sample-size (default: the whole set)]
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../../src/engine/index.ts";
import { axes } from "../../src/judges/similarity-llm-judge.ts";
import type { ChatMessage } from "../../src/models/types.ts";
import { defaultPromptSet } from "../../src/probes/prompt-sets/default-set.ts";
import { samplePromptSet } from "../../src/probes/prompt-sets/load.ts";
import {
  judgeModelName,
  otherStyleModelName,
  sameStyleModelName,
  scriptedAnswer,
  scriptedJudgeReply,
  targetModelName,
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

const llmSample = Number(process.argv[2] ?? defaultPromptSet().prompts.length);
const answer = ({ model, messages }: { model: string; messages: ChatMessage[] }) =>
  scriptedAnswer(model, messages);
const servers = {
  target: await startMockProviderServer({ respond: answer }),
  references: await startMockProviderServer({ respond: answer }),
  judge: await startMockProviderServer({ respond: ({ messages }) => scriptedJudgeReply(messages) }),
};
const environment = { OPENAI_API_KEY: "sk-loopback-bench" };
const model = (name: string, server: keyof typeof servers) =>
  createModel(`openai:${name}`, { baseUrl: servers[server].openaiBaseUrl, environment });
const totalRequests = () =>
  Object.values(servers).reduce((total, server) => total + server.stats().requests, 0);
const home = mkdtempSync(join(tmpdir(), "rse-bench-"));
const store = openStore(home);

function report(label: string, result: RseResult, seconds: number): boolean {
  const similar = result.byReference[`openai:${sameStyleModelName}`]!;
  const dissimilar = result.byReference[`openai:${otherStyleModelName}`]!;
  const comparison = result.comparisons[0]!;
  process.stdout.write(
    `\n${label}: ${similar.n} turns judged per reference, ${seconds.toFixed(1)} s, judge errors ${result.failures.judge}\n`,
  );
  process.stdout.write(
    "axis      A same style (95% CI)     B other style (95% CI)    A - B (95% CI)        p (Holm)\n",
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
      judge: { kind: "llm", model: model(judgeModelName, "judge"), nonceSecret: "bench-secret" },
      promptSets: [samplePromptSet(defaultPromptSet(), llmSample, 1)],
    },
  ];
  for (const { label, judge, promptSets } of runs) {
    const options = {
      target: model(targetModelName, "target"),
      references: [model(sameStyleModelName, "references"), model(otherStyleModelName, "references")],
      promptSets,
      store,
      judge,
      seed: 1,
    };
    const requestsBefore = totalRequests();
    const started = performance.now();
    const result = await runRse(options);
    const seconds = (performance.now() - started) / 1000;
    const asked = totalRequests() - requestsBefore;
    allPass = report(label, result, seconds) && allPass;
    if (result.positionBias !== undefined) {
      const bias = result.positionBias;
      process.stdout.write(
        `judge position bias (target first minus second, overall): ${bias.difference.toFixed(3)} [${bias.interval.low.toFixed(3)}, ${bias.interval.high.toFixed(3)}], cancelled by both orders\n`,
      );
    }
    const rerunStarted = performance.now();
    const again = await runRse(options);
    const askedAgain = totalRequests() - requestsBefore - asked;
    const same = JSON.stringify(again.scores) === JSON.stringify(result.scores);
    process.stdout.write(
      `HTTP requests: ${asked} in the run; ${askedAgain} when run again (${((performance.now() - rerunStarted) / 1000).toFixed(1)} s, same scores: ${same})\n`,
    );
    allPass &&= askedAgain === 0 && same;
  }
} finally {
  store.close?.();
  await Promise.all(Object.values(servers).map((server) => server.close()));
  rmSync(home, { recursive: true, force: true });
}
process.stdout.write(
  `\n${allPass ? "PASS" : "FAIL"}: same-style reference significantly nearer on every axis; re-runs ask nothing\n`,
);
process.exit(allPass ? 0 : 1);
