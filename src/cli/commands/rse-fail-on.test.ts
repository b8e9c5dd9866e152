import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { ChatMessage } from "../../models/types.ts";
import { sameStyleModelName, scriptedAnswer, targetModelName } from "../../rse/loopback-fixture.ts";
import { type MockProviderServer, startMockProviderServer } from "../../testing/mock-provider-server.ts";
import { type CliRun, spawnCli } from "../../testing/spawn-cli.ts";

const folder = mkdtempSync(join(tmpdir(), "rse-fail-on-"));
const apiKey = "sk-cli-test-0123456789";
/** One loopback server answers the target and the reference, each in its scripted style. */
let server: MockProviderServer;

before(async () => {
  server = await startMockProviderServer({
    respond: ({ model, messages }: { model: string; messages: ChatMessage[] }) =>
      scriptedAnswer(model, messages),
    apiKey,
  });
});
after(async () => {
  await server.close();
  rmSync(folder, { recursive: true, force: true });
});

function cli(args: string[]): Promise<CliRun> {
  return spawnCli(["--home", join(folder, "home"), ...args], { OPENAI_API_KEY: apiKey, CI: "true" });
}

/** `rse run` on 4 built-in prompts (too few conversations for an interval), embedded judge. */
const rse = (out: string, ...expressions: string[]) =>
  cli([
    "rse",
    "run",
    "--target",
    `openai:${targetModelName}`,
    "--reference",
    `openai:${sameStyleModelName}`,
    "--base-url",
    server.openaiBaseUrl,
    "--reference-base-url",
    server.openaiBaseUrl,
    "--limit",
    "4",
    "--seed",
    "1",
    "--out",
    out,
    ...expressions.flatMap((expression) => ["--fail-on", expression]),
  ]);

const errorLines = (stderr: string) => stderr.split("\n").filter((line) => line.startsWith("distillscope:"));

describe("rse run --fail-on over a loopback server", () => {
  it("crossed at the measured score: exit 1; just above it: exit 0; both from the store", async () => {
    const out = join(folder, "first.json");
    const first = await rse(out);
    assert.equal(first.code, 0, first.stderr);
    const overall = JSON.parse(readFileSync(out, "utf8")).scores.overall as number;
    assert.ok(Number.isFinite(overall), String(overall));
    const requests = server.stats().requests;

    const crossed = await rse(join(folder, "crossed.json"), `rse.overall >= ${overall}`, "rse.style < 0");
    assert.equal(crossed.code, 1, crossed.stderr);
    assert.ok(existsSync(join(folder, "crossed.json")), "the result is written before the gate");
    const row = (threshold: string, outcome: string) =>
      new RegExp(
        `^\\| \`${threshold.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\` \\| openai:${targetModelName} \\| ${overall.toFixed(3).replace(".", "\\.")} \\| ${outcome} \\|$`,
        "m",
      );
    assert.match(crossed.stdout, row(`rse.overall >= ${overall}`, "CROSSED"));
    assert.match(crossed.stdout, /^\| `rse\.style < 0` \| .* \| ok \|$/m);
    assert.match(
      errorLines(crossed.stderr)[0] ?? "",
      /fail-on: 1 threshold check\(s\) crossed, first: rse\.overall >= /,
    );

    const passed = await rse(join(folder, "passed.json"), `rse.overall > ${overall}`);
    assert.equal(passed.code, 0, passed.stderr);
    assert.match(passed.stdout, row(`rse.overall > ${overall}`, "ok"));
    assert.equal(server.stats().requests, requests, "the re-runs asked nothing new");
  });

  it("NOT MEASURED as in audit: an interval bound on too few conversations exits 3, never 0", async () => {
    const run = await rse(join(folder, "unmeasured.json"), "rse.overall.lower > 100");
    assert.equal(run.code, 3, run.stderr);
    assert.match(run.stdout, /^\| `rse\.overall\.lower > 100` \| .* \| - \| NOT MEASURED \| no interval: /m);
    assert.match(
      errorLines(run.stderr)[0] ?? "",
      /^distillscope: fail-on: rse\.overall\.lower > 100 could not be evaluated for openai:.*: no interval: /,
    );
  });

  it("a bad expression or another kind's metric: exit 2 before any request, nothing written", async () => {
    const cases: Array<[string, RegExp]> = [
      ["rse.overall >> 4", /^distillscope: --fail-on "rse\.overall >> 4": "rse\.overall" is a number/],
      [
        "ice.strict > 0.05",
        /^distillscope: --fail-on "ice\.strict > 0\.05": ice\.strict is not a metric of the rse result this command writes; use one of rse\.overall, /,
      ],
    ];
    for (const [expression, line] of cases) {
      const requests = server.stats().requests;
      const out = join(folder, "never.json");
      const outcome = await rse(out, expression);
      assert.equal(outcome.code, 2, `${expression}: ${outcome.stderr}`);
      assert.match(outcome.stderr, line);
      assert.equal(outcome.stderr.trim().split("\n").length, 1, outcome.stderr);
      assert.equal(server.stats().requests, requests);
      assert.equal(existsSync(out), false);
    }
  });
});
