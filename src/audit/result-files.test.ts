import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type MockProviderServer, startMockProviderServer } from "../testing/mock-provider-server.ts";
import { judgeFailureSummary, judgeFailuresOf, resultFileNames, runAudit } from "./run.ts";

const apiKey = "test-key-collide-5b8e";
let server: MockProviderServer;

before(async () => {
  server = await startMockProviderServer({
    apiKey,
    respond: ({ model }) =>
      model === "claims"
        ? "I am ChatGPT, a large language model developed by OpenAI."
        : "I am Qwen, a model developed by Alibaba Cloud.",
  });
});

after(async () => {
  await server.close();
});

test("result file names without collisions stay the plain <kind>-<file-safe label>.json; lineage is lineage.json", () => {
  assert.deepEqual(
    resultFileNames([
      { kind: "ice", subject: "openai:my-model" },
      { kind: "rse", subject: "openai:my-model" },
      { kind: "ice", subject: "a-2" },
      { kind: "lineage", subject: "lineage" },
    ]),
    ["ice-openai_my-model.json", "rse-openai_my-model.json", "ice-a-2.json", "lineage.json"],
  );
});

test("labels that map to one file name (or differ in case only) get distinct names", () => {
  assert.deepEqual(
    resultFileNames([
      { kind: "ice", subject: "team/a" },
      { kind: "ice", subject: "team_a" },
      { kind: "ice", subject: "Team a" },
      { kind: "ice", subject: "team_a-2" },
      { kind: "rse", subject: "team_a" },
    ]),
    // `team_a-2` is another label's plain name: the suffixes skip it, so that label keeps its name.
    ["ice-team_a.json", "ice-team_a-3.json", "ice-Team_a-4.json", "ice-team_a-2.json", "rse-team_a.json"],
  );
});

test("an audit of two targets labelled `team/a` and `team_a` keeps both results and reports both", async () => {
  const directory = mkdtempSync(join(tmpdir(), "distillscope-audit-collide-"));
  const endpoint = [`    base-url: ${server.openaiBaseUrl}`, "    api-key-env: MOCK_COLLIDE_KEY"];
  const lines = [
    "targets:",
    "  - id: openai:honest",
    "    label: team/a",
    "    identity: alibaba",
    ...endpoint,
    "  - id: openai:claims",
    "    label: team_a",
    "    identity: alibaba",
    ...endpoint,
    "evaluations:",
    "  ice:",
    "    budget: 10",
    "engine:",
    "  concurrency: 4",
    "  timeout-ms: 10000",
    "report:",
    "  out: report",
    "  html: false",
    "fail-on:",
    "  - ice.strict > 0.5",
  ];
  const configPath = join(directory, "distillscope.yaml");
  writeFileSync(configPath, `${lines.join("\n")}\n`);
  const outcome = await runAudit({
    configPath,
    home: join(directory, "home"),
    environment: { ...process.env, MOCK_COLLIDE_KEY: apiKey },
  });
  const resultsDirectory = join(directory, "report", "results");
  assert.deepEqual(readdirSync(resultsDirectory).sort(), ["ice-team_a-2.json", "ice-team_a.json"]);
  const strictOf = (name: string) =>
    (JSON.parse(readFileSync(join(resultsDirectory, name), "utf8")) as { scores: { strict: number } }).scores
      .strict;
  assert.equal(strictOf("ice-team_a.json"), 0, "team/a answers as itself");
  assert.equal(strictOf("ice-team_a-2.json"), 1, "team_a claims to be ChatGPT");
  assert.deepEqual(
    outcome.checks.map((check) => `${check.subject}|${check.crossed}`),
    ["team/a|false", "team_a|true"],
  );
  const manifest = readFileSync(outcome.manifestPath!, "utf8");
  assert.match(manifest, /results\/ice-team_a\.json/);
  assert.match(manifest, /results\/ice-team_a-2\.json/);
  // The report's ICE table holds one row per target, each with its own strict rate.
  const rows = (readFileSync(outcome.markdownPath!, "utf8").split("## Results in this report")[0] ?? "")
    .split("\n")
    .filter((line) => /^\| team/.test(line));
  assert.equal(rows.length, 2, rows.join("\n"));
  assert.match(rows[0]!, /^\| team\/a \|.*\| 0\.000 \|/);
  assert.match(rows[1]!, /^\| team\\_a \|.*\| 1\.000 \|/);
});

test("judge failures on a non-primary RSE reference are still listed, with the primary's own count", () => {
  const result = {
    kind: "rse",
    judge: "openai:judge",
    references: ["ref1", "ref2"],
    primaryReference: "ref1",
    n: 12,
    byReference: { ref1: { n: 12, judgeErrors: 0 }, ref2: { n: 9, judgeErrors: 3 } },
    failures: { judge: 3 },
    items: Array.from({ length: 24 }, () => ({})),
  };
  const failures = judgeFailuresOf([{ kind: "rse", subject: "a|b\n# x", path: "r.json" }], [{ result }]);
  assert.deepEqual(
    failures.map((failure) => [failure.judged, failure.failed, failure.total]),
    [[12, 0, 12]],
  );
  assert.equal(
    judgeFailureSummary(failures).split("\n")[0]?.split(" (openai:judge)")[0],
    "- rse a\\|b # x: judge failed on 0 of 12 answers against the primary reference (3 of 24 over all 2 references)",
  );
});
