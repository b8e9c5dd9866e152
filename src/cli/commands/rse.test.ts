import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Command } from "commander";
import { exitCodeFor, InputError } from "../../errors.ts";
import { axes } from "../../judges/similarity-llm-judge.ts";
import type { ChatMessage } from "../../models/types.ts";
import {
  judgeModelName,
  otherStyleModelName,
  sameStyleModelName,
  scriptedAnswer,
  scriptedJudgeReply,
  targetModelName,
} from "../../rse/loopback-fixture.ts";
import type { RseResult } from "../../rse/run.ts";
import { type MockProviderServer, startMockProviderServer } from "../../testing/mock-provider-server.ts";
import { type CliRun, spawnCli } from "../../testing/spawn-cli.ts";
import { register } from "./rse.ts";

const folder = mkdtempSync(join(tmpdir(), "rse-cli-"));
const apiKey = "sk-cli-test-0123456789";

/** Three loopback servers: the target's, the two references' and the LLM judge's. */
let targetServer: MockProviderServer;
let referenceServer: MockProviderServer;
let judgeServer: MockProviderServer;
/** Answers every request as stopped by the content filter: a model that gives nothing. */
let filterServer: MockProviderServer;
const received: Array<{ model: string; messages: ChatMessage[] }> = [];

before(async () => {
  const respond = ({ model, messages }: { model: string; messages: ChatMessage[] }) => {
    received.push({ model, messages });
    return scriptedAnswer(model, messages);
  };
  targetServer = await startMockProviderServer({ respond, apiKey });
  referenceServer = await startMockProviderServer({ respond, apiKey });
  judgeServer = await startMockProviderServer({
    respond: ({ messages }) => scriptedJudgeReply(messages),
    apiKey,
  });
  filterServer = await startMockProviderServer({ respond, apiKey, faults: { contentFilterRate: 1 } });
});
after(async () => {
  await Promise.all([
    targetServer.close(),
    referenceServer.close(),
    judgeServer.close(),
    filterServer.close(),
  ]);
  rmSync(folder, { recursive: true, force: true });
});

function cli(args: string[]): Promise<CliRun> {
  return spawnCli(["--home", join(folder, "home"), ...args], { OPENAI_API_KEY: apiKey, CI: "true" });
}

const same = `openai:${sameStyleModelName}`;
const other = `openai:${otherStyleModelName}`;
const requestCounts = () =>
  [targetServer, referenceServer, judgeServer].map((server) => server.stats().requests);

/** The same-style reference is significantly nearer on every axis: disjoint intervals and Holm p < 0.05. */
function assertSameStyleNearer(result: RseResult): void {
  const near = result.byReference[same]!;
  const far = result.byReference[other]!;
  const comparison = result.comparisons[0]!;
  assert.equal(comparison.first, same);
  for (const axis of axes) {
    assert.ok(
      near.intervals[axis].low > far.intervals[axis].high,
      `${axis}: same-style ${JSON.stringify(near.intervals[axis])} vs other-style ${JSON.stringify(far.intervals[axis])}`,
    );
    assert.ok(comparison.axes[axis].pValueHolm < 0.05, `${axis} p=${comparison.axes[axis].pValueHolm}`);
    assert.ok(comparison.axes[axis].interval.low > 0, axis);
  }
  assert.equal(comparison.nearer, same);
  for (const dataset of ["default", "sharegpt"]) {
    const entry = result.datasets[dataset]!;
    assert.ok(entry.references[same]!.scores.overall > entry.references[other]!.scores.overall, dataset);
    assert.ok(Number.isFinite(entry.intervals.overall.low) && Number.isFinite(entry.intervals.overall.high));
  }
}

describe("distillscope rse run over loopback HTTP servers", () => {
  const sharegpt = join(folder, "sharegpt.json");
  writeFileSync(
    sharegpt,
    JSON.stringify(
      ["knitting", "sourdough", "chess", "running", "budgeting", "gardening"].map((topic, index) => ({
        id: `conversation-${index}`,
        conversations: [
          { from: "human", value: `How should a beginner get into ${topic}?` },
          { from: "gpt", value: "RECORDED ANSWER THAT MUST NOT BE SENT" },
          { from: "human", value: `Which common mistakes in ${topic} should I avoid at first?` },
        ],
      })),
    ),
  );
  const common = [
    "rse",
    "run",
    "--target",
    `openai:${targetModelName}`,
    "--reference",
    same,
    "--reference",
    other,
    "--prompts",
    "default",
    "--prompts",
    `sharegpt:${sharegpt}`,
    "--seed",
    "1",
  ];

  it("embedded judge: the same-style reference scores higher on every axis, ShareGPT turns carry the model's own answers, and a re-run asks nothing", async () => {
    const out = join(folder, "embedded.json");
    const args = [
      ...common,
      "--base-url",
      targetServer.openaiBaseUrl,
      "--reference-base-url",
      referenceServer.openaiBaseUrl,
      "--out",
      out,
    ];
    const first = await cli(args);
    assert.equal(first.code, 0, first.stderr);
    const text = readFileSync(out, "utf8");
    assert.ok(!text.includes(apiKey), "no key in the result");
    const result = JSON.parse(text) as RseResult;
    assert.equal(result.kind, "rse");
    assert.equal(result.judge, "embedded");
    assert.deepEqual(Object.keys(result.datasets).sort(), ["default", "sharegpt"]);
    assert.equal(result.n, 96 + 12, "84 default prompts (96 turns) and 6 two-turn conversations");
    assertSameStyleNearer(result);
    // The printed table is the paper's Table 3 shape: one column per dataset plus the average.
    assert.match(first.stdout, /\| Reference \| default \| sharegpt \| Avg \|/);
    // Replay: turn 2 of each conversation carries the model's OWN first answer, never the recorded one.
    for (const model of [targetModelName, sameStyleModelName, otherStyleModelName]) {
      const secondTurns = received.filter(
        (entry) =>
          entry.model === model &&
          entry.messages.some((message) => message.content.includes("common mistakes")),
      );
      assert.equal(secondTurns.length, 6, model);
      for (const entry of secondTurns) {
        assert.equal(entry.messages[1]!.role, "assistant");
        assert.equal(entry.messages[1]!.content, scriptedAnswer(model, entry.messages.slice(0, 1)));
        assert.ok(!JSON.stringify(entry.messages).includes("RECORDED ANSWER"));
      }
    }
    assert.deepEqual(requestCounts(), [108, 216, 0]);
    const again = await cli([...args.slice(0, -1), join(folder, "embedded-again.json")]);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(requestCounts(), [108, 216, 0], "the re-run is answered from the store");
    const repeated = JSON.parse(readFileSync(join(folder, "embedded-again.json"), "utf8")) as RseResult;
    assert.deepEqual(repeated.scores, result.scores);
  });

  it("LLM judge over HTTP: both orders, only its own verdict tag parsed, same-style nearer on every axis, re-run asks nothing", async () => {
    const out = join(folder, "llm.json");
    const args = [
      ...common,
      "--limit",
      "40",
      "--base-url",
      targetServer.openaiBaseUrl,
      "--reference-base-url",
      referenceServer.openaiBaseUrl,
      "--judge",
      `openai:${judgeModelName}`,
      "--judge-base-url",
      judgeServer.openaiBaseUrl,
      "--quiet",
      "--md",
      join(folder, "llm.md"),
      "--out",
      out,
    ];
    const before = requestCounts();
    const first = await cli(args);
    assert.equal(first.code, 0, first.stderr);
    const result = JSON.parse(readFileSync(out, "utf8")) as RseResult;
    assert.equal(result.judge, `openai:${judgeModelName}`);
    assertSameStyleNearer(result);
    const markdown = readFileSync(join(folder, "llm.md"), "utf8");
    assert.match(markdown, /\| Reference \| default \| sharegpt \| Avg \|/);
    assert.match(markdown, /\| openai:same-style-model \| \d\.\d{3} \[\d\.\d{2}, \d\.\d{2}\] \|/);
    // The sampled prompts were all answered in the embedded run: only the judge was asked.
    const afterFirst = requestCounts();
    assert.deepEqual(afterFirst.slice(0, 2), before.slice(0, 2));
    const attempts = result.items.reduce(
      (total, item) => total + item.orders!.reduce((sum, order) => sum + order.attempts, 0),
      0,
    );
    assert.equal(afterFirst[2], attempts, "one judge request per attempt");
    assert.ok(attempts > result.items.length * 2, "some malformed replies were asked again");
    assert.equal(result.failures.judge, 0);
    for (const item of result.items) {
      assert.deepEqual(
        item.orders!.map((order) => order.order),
        ["target-first", "reference-first"],
      );
      // Every reply carried decoy scores of 1 outside the nonce tag; the same-style pair never got them.
      if (item.reference === same) for (const order of item.orders!) assert.ok(order.scores!.overall >= 3);
    }
    // The scripted judge favours the longer answer when shown first; averaging both orders cancels it.
    assert.ok(result.positionBias!.n > 0 && Math.abs(result.positionBias!.difference) > 0.1);
    const again = await cli([...args.slice(0, -1), join(folder, "llm-again.json")]);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(requestCounts(), afterFirst, "the re-run asks no server anything");
    const repeated = JSON.parse(readFileSync(join(folder, "llm-again.json"), "utf8")) as RseResult;
    assert.deepEqual(repeated.scores, result.scores);
  });
  it("exits 3 with one line when the LLM judge gives no usable verdict for any answer; the result is kept", async () => {
    const out = join(folder, "judge-nothing.json");
    // The target's own server as the judge: it answers in a style, never with a verdict.
    const run = await cli([
      ...common.slice(0, 8),
      "--limit",
      "2",
      "--base-url",
      targetServer.openaiBaseUrl,
      "--reference-base-url",
      referenceServer.openaiBaseUrl,
      "--judge",
      `openai:${targetModelName}`,
      "--judge-base-url",
      targetServer.openaiBaseUrl,
      "--quiet",
      "--out",
      out,
    ]);
    assert.equal(run.code, 3, run.stderr);
    const errorLines = run.stderr.split("\n").filter((line) => line.startsWith("distillscope:"));
    assert.equal(errorLines.length, 1, run.stderr);
    assert.match(errorLines[0]!, /judge openai:.* gave no usable verdict for any of \d+ answers/);
    const result = JSON.parse(readFileSync(out, "utf8")) as RseResult;
    assert.equal(result.n, 0);
    assert.ok(result.failures.judge > 0);
  });
});

describe("distillscope rse run when a model answers nothing", () => {
  it("exits 3 with one line naming the target and its endpoint when it answered no turn; the result is kept", async () => {
    const out = join(folder, "silent-target.json");
    const run = await cli([
      "rse",
      "run",
      "--target",
      `openai:${targetModelName}`,
      "--base-url",
      filterServer.openaiBaseUrl,
      "--reference",
      same,
      "--reference-base-url",
      referenceServer.openaiBaseUrl,
      "--limit",
      "2",
      "--seed",
      "1",
      "--quiet",
      "--out",
      out,
    ]);
    assert.equal(run.code, 3, run.stderr);
    const errorLines = run.stderr.split("\n").filter((line) => line.trim() !== "");
    assert.equal(errorLines.length, 1, run.stderr);
    const host = new URL(filterServer.openaiBaseUrl).host;
    assert.ok(
      errorLines[0]!.startsWith(
        `distillscope: target openai:${targetModelName} at ${host}: none of 2 turns answered: 2 failed`,
      ),
      errorLines[0],
    );
    const result = JSON.parse(readFileSync(out, "utf8")) as RseResult;
    assert.equal(result.n, 0);
    assert.deepEqual(result.answerCounts[`openai:${targetModelName}`], {
      turns: 2,
      answered: 0,
      empty: 0,
      failed: 2,
    });
    assert.equal(result.answerCounts[same]!.answered, 2);
  });
});

describe("distillscope rse run with ShareGPT system turns after a human turn", () => {
  it("cuts those conversations there, sends neither the system turn nor what follows, and says so on stderr", async () => {
    const sharegpt = join(folder, "sharegpt-system.json");
    const topics = ["kites", "pottery", "birdwatching", "origami", "baking"];
    writeFileSync(
      sharegpt,
      JSON.stringify(
        topics.map((topic, index) => ({
          id: `system-${index}`,
          conversations: [
            { from: "system", value: "You are a patient teacher." },
            { from: "human", value: `How do I start with ${topic}?` },
            { from: "gpt", value: "RECORDED ANSWER" },
            ...(index < 2 ? [{ from: "system", value: `MID-CONVERSATION SYSTEM TURN ${index}` }] : []),
            { from: "human", value: `What does ${topic} cost, roughly? (turn two)` },
          ],
        })),
      ),
    );
    const out = join(folder, "sharegpt-system-result.json");
    const run = await cli([
      "rse",
      "run",
      "--target",
      `openai:${targetModelName}`,
      "--base-url",
      targetServer.openaiBaseUrl,
      "--reference",
      same,
      "--reference-base-url",
      referenceServer.openaiBaseUrl,
      "--prompts",
      `sharegpt:${sharegpt}`,
      "--out",
      out,
    ]);
    assert.equal(run.code, 0, run.stderr);
    const notes = run.stderr.split("\n").filter((line) => line.startsWith("note: "));
    assert.deepEqual(notes, [
      `note: sharegpt (${sharegpt}): 2 conversation(s) of the file cut at a system turn after a human turn: the human turns before it are replayed; that system turn and the turns after it are sent to no model (counted in "prompts" of the result)`,
    ]);
    assert.match(run.stdout, /Shortened in sharegpt \(.*\): 2 record\(s\) of the file/);
    const result = JSON.parse(readFileSync(out, "utf8")) as RseResult;
    assert.deepEqual(result.prompts, [
      {
        dataset: "sharegpt",
        source: sharegpt,
        prompts: 5,
        turns: 8,
        skipped: {},
        shortened: { "cut at a system turn after a human turn": 2 },
      },
    ]);
    const sent = received.filter((entry) =>
      topics.some((topic) => entry.messages.some((message) => message.content.includes(topic))),
    );
    // 2 cut conversations x 1 turn + 3 whole ones x 2 turns, to the target and the reference.
    assert.equal(sent.length, 16);
    for (const entry of sent) {
      assert.equal(entry.messages[0]!.role, "system");
      assert.equal(entry.messages.filter((message) => message.role === "system").length, 1);
      assert.ok(!JSON.stringify(entry.messages).includes("MID-CONVERSATION"));
    }
    for (const topic of topics.slice(0, 2))
      assert.ok(
        !sent.some((entry) =>
          entry.messages.some((message) => message.content.includes(`${topic}, roughly`)),
        ),
        `the turn after the cut of the ${topic} conversation is never sent`,
      );
  });
});

describe("distillscope rse run input checks", () => {
  it("refuses an --md path that is a folder before asking any model (exit 2)", async () => {
    const before = requestCounts();
    const run = await cli([
      "rse",
      "run",
      "--target",
      `openai:${targetModelName}`,
      "--base-url",
      targetServer.openaiBaseUrl,
      "--reference",
      same,
      "--reference-base-url",
      referenceServer.openaiBaseUrl,
      "--limit",
      "2",
      "--out",
      join(folder, "md-folder.json"),
      "--md",
      folder,
    ]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /^distillscope: --md .*: is a folder/);
    assert.deepEqual(requestCounts(), before, "no model was asked");
  });

  it("refuses --out or --md that is a prompt file, a replayed transcript or each other (exit 2), files untouched", async () => {
    const prompts = join(folder, "own-prompts.jsonl");
    writeFileSync(prompts, `${JSON.stringify({ id: "1", prompt: "hello" })}\n`);
    const transcript = join(folder, "recorded-reference.jsonl");
    writeFileSync(transcript, `${JSON.stringify({ model: "r", messages: [], response: "r" })}\n`);
    const contents = () => [readFileSync(prompts, "utf8"), readFileSync(transcript, "utf8")];
    const original = contents();
    const before = requestCounts();
    const base = [
      "rse",
      "run",
      "--target",
      `openai:${targetModelName}`,
      "--base-url",
      targetServer.openaiBaseUrl,
      "--reference",
      `replay:${transcript}#r`,
    ];
    const cases: Array<[string[], RegExp]> = [
      [
        ["--prompts", prompts, "--out", prompts],
        /^distillscope: --out .*own-prompts\.jsonl: is the same file as --prompts .*own-prompts\.jsonl, which writing --out would replace/,
      ],
      [
        ["--prompts", `jsonl:${prompts}`, "--out", join(folder, "fine.json"), "--md", prompts],
        /^distillscope: --md .*own-prompts\.jsonl: is the same file as --prompts/,
      ],
      [
        ["--prompts", prompts, "--out", transcript],
        /^distillscope: --out .*recorded-reference\.jsonl: is the same file as --reference .*recorded-reference\.jsonl/,
      ],
      [
        ["--prompts", prompts, "--out", join(folder, "both.json"), "--md", join(folder, "both.json")],
        /^distillscope: --md .*both\.json: is the same file as --out .*both\.json/,
      ],
    ];
    for (const [args, expected] of cases) {
      const refused = await cli([...base, ...args]);
      assert.equal(refused.code, 2, refused.stderr);
      assert.equal(refused.stderr.trim().split("\n").length, 1, refused.stderr);
      assert.match(refused.stderr, expected);
    }
    assert.deepEqual(requestCounts(), before, "no model was asked");
    assert.deepEqual(contents(), original);
  });

  it("exits 2 with one clear line on bad flags and bad prompt files", async () => {
    const base = [
      "rse",
      "run",
      "--target",
      "openai:x",
      "--reference",
      "openai:y",
      "--out",
      join(folder, "x.json"),
    ];
    const malformed = join(folder, "bad.jsonl");
    writeFileSync(malformed, `${JSON.stringify({ id: "1", prompt: "ok" })}\n{"id": "2"}\n`);
    // Bad numbers and an unknown set are covered in process below; these go through the real binary.
    const [missing, bad, misspelt] = await Promise.all([
      cli([...base, "--prompts", `arena-hard:${join(folder, "nope.jsonl")}`]),
      cli([...base, "--prompts", malformed]),
      cli([...base, "--judge", "embeded"]),
    ]);
    assert.equal(misspelt.code, 2, misspelt.stderr);
    assert.match(
      misspelt.stderr,
      /--judge "embeded" is neither embedded nor a model id .*\(did you mean "embedded"\?\)/,
    );
    assert.equal(missing.code, 2, missing.stderr);
    assert.match(missing.stderr, /nope\.jsonl: cannot read/);
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /bad\.jsonl:2: needs a "prompt"/);
    assert.equal(bad.stderr.trim().split("\n").length, 1, bad.stderr);
  });

  it("exits 3 with one line on stderr (no progress line) when the target cannot be reached", async () => {
    const unreachable = await cli([
      "rse",
      "run",
      "--target",
      "openai:x",
      "--base-url",
      "http://127.0.0.1:1/v1",
      "--reference",
      "openai:y",
      "--reference-base-url",
      "http://127.0.0.1:1/v1",
      "--limit",
      "3",
      "--out",
      join(folder, "unreachable.json"),
    ]);
    assert.equal(unreachable.code, 3, unreachable.stderr);
    assert.equal(unreachable.stderr.trim().split("\n").length, 1, unreachable.stderr);
    assert.match(unreachable.stderr, /^distillscope: openai:x: cannot reach 127\.0\.0\.1:1/);
  });
});

describe("rse run flag and prompt-file checks (in process)", () => {
  const parse = async (args: string[]) => {
    const program = new Command().exitOverride();
    register(program);
    await program.parseAsync([
      "node",
      "distillscope",
      "rse",
      "run",
      "--target",
      "openai:x",
      "--reference",
      "openai:y",
      "--out",
      join(folder, "z.json"),
      ...args,
    ]);
  };
  it("rejects bad numbers and malformed prompt files with an InputError (exit 2) before any model is built", async () => {
    await assert.rejects(parse(["--limit", "0"]), (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.equal(exitCodeFor(error), 2);
      assert.match(error.message, /--limit must be a whole number >= 1, got "0"/);
      return true;
    });
    await assert.rejects(parse(["--seed", "-1"]), /--seed must be a whole number >= 0/);
    const malformed = join(folder, "in-process-bad.jsonl");
    writeFileSync(malformed, `${JSON.stringify({ id: "1", prompt: "ok" })}\n{"id": "2"}\n`);
    await assert.rejects(parse(["--prompts", malformed]), /in-process-bad\.jsonl:2: needs a "prompt"/);
    await assert.rejects(parse(["--prompts", "mmlu:file.json"]), /expected default, arena-hard/);
  });
});
