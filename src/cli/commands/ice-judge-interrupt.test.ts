import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { interruptAfterRequests } from "../../testing/interrupt-cli.ts";
import { startMockProviderServer } from "../../testing/mock-provider-server.ts";
import { spawnCli } from "../../testing/spawn-cli.ts";

const folder = mkdtempSync(join(tmpdir(), "distillscope-ice-judge-interrupt-"));
after(() => rmSync(folder, { recursive: true, force: true }));

test("Ctrl-C on ice judge with an LLM judge: one message, exit 3, and the same command resumes", async () => {
  // The judge answers without a verdict tag: every row is a judge error after its attempts, which is
  // enough to count requests; verdicts are not what this test is about.
  const slow = await startMockProviderServer({ apiKey: "judge-key", latencyMs: 30 });
  const answers = join(folder, "answers.jsonl");
  const rows = Array.from({ length: 40 }, (_, index) =>
    JSON.stringify({ id: `r${index}`, query: `Who made you? (${index})`, response: `I am model ${index}.` }),
  );
  writeFileSync(answers, `${rows.join("\n")}\n`);
  const args = (out: string) => [
    "ice",
    "judge",
    answers,
    "--format",
    "jsonl",
    "--identity",
    "deepseek",
    "--judge",
    "openai:judge-model",
    "--judge-base-url",
    slow.openaiBaseUrl,
    "--concurrency",
    "2",
    "--out",
    out,
  ];
  const environment = { OPENAI_API_KEY: "judge-key", DISTILLSCOPE_HOME: join(folder, "home"), CI: "true" };
  try {
    const out = join(folder, "result.json");
    const interrupted = await interruptAfterRequests(args(out), { ...process.env, ...environment }, slow, 10);
    assert.equal(interrupted.code, 3, interrupted.stderr);
    const lines = interrupted.stderr.trim().split("\n");
    assert.equal(
      lines.at(-1),
      lines.find((line) => line.includes("answers judged")),
      interrupted.stderr,
    );
    assert.match(
      lines.at(-1) ?? "",
      /^distillscope: interrupted: \d+ of 40 answers judged; the judge's replies are stored, so the same command resumes$/,
    );
    assert.equal(existsSync(out), false, "no result from an interrupted judge");
    const beforeResume = slow.stats().requests;
    const resumed = await spawnCli(args(out), environment);
    assert.equal(resumed.code, 3, "this judge never gives a verdict: exit 3 once every row is judged");
    assert.match(resumed.stderr, /gave no usable verdict for any of 40 answers/);
    const resumedRequests = slow.stats().requests - beforeResume;
    // A fresh home asks everything: the resumed run asked less.
    const beforeFresh = slow.stats().requests;
    const fresh = await spawnCli(args(join(folder, "fresh.json")), {
      ...environment,
      DISTILLSCOPE_HOME: join(folder, "fresh-home"),
    });
    assert.equal(fresh.code, 3, fresh.stderr);
    const freshRequests = slow.stats().requests - beforeFresh;
    assert.ok(resumedRequests < freshRequests, `resumed ${resumedRequests} vs fresh ${freshRequests}`);
  } finally {
    await slow.close();
  }
});
