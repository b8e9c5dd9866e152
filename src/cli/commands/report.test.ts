import assert from "node:assert/strict";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test from "node:test";
import { sampleIceResult, sampleLineageResult } from "../../report/sample-results.ts";
import { runCommands } from "./report-test-harness.ts";

const run = (...args: string[]) => runCommands(args);

function inputs() {
  const directory = mkdtempSync(join(tmpdir(), "distillscope-report-cli-"));
  const ice = join(directory, "ice.json");
  const lineage = join(directory, "lineage.json");
  writeFileSync(ice, JSON.stringify(sampleIceResult({ target: "glm:glm-4-plus", items: 20 })));
  writeFileSync(lineage, JSON.stringify(sampleLineageResult({ models: 5, candidates: 2 })));
  return { directory, ice, lineage };
}

test("report writes HTML, Markdown and manifest; verify says OK and exits 0", () => {
  const { directory, ice, lineage } = inputs();
  const out = join(directory, "out");
  const report = run(
    "report",
    ice,
    lineage,
    "--html",
    join(out, "report.html"),
    "--md",
    join(out, "report.md"),
    "--manifest",
  );
  assert.equal(report.code, 0, report.stderr);
  assert.match(report.stdout, /wrote .*report\.html \(\d+\.\d\d MB\)/);
  assert.match(readFileSync(join(out, "report.md"), "utf8"), /\| glm:glm-4-plus \| 20 \|/);
  assert.ok(existsSync(join(out, "manifest.json")));
  const verify = run("verify", out);
  assert.equal(verify.code, 0, verify.stderr);
  assert.match(verify.stdout, /^OK\s+result\s+\.\.\/ice\.json$/m);
  assert.match(verify.stdout, /verified 4 files: all match/);
});

test("verify prints a MISMATCH line and exits 2 when a file changed", () => {
  const { directory, ice } = inputs();
  const out = join(directory, "out");
  assert.equal(run("report", ice, "--html", join(out, "r.html"), "--manifest").code, 0);
  appendFileSync(ice, " ");
  const verify = run("verify", out);
  assert.equal(verify.code, 2);
  assert.match(
    verify.stdout,
    /^MISMATCH\s+result\s+\.\.\/ice\.json \(expected [0-9a-f]{64}, found [0-9a-f]{64}\)$/m,
  );
  assert.match(
    verify.stderr,
    /^distillscope: verify: 1 of 2 files in .*manifest\.json are changed or missing\n$/,
  );
});

test("a result of the wrong kind or a newer schemaVersion exits 2 with one line", () => {
  const { directory, ice } = inputs();
  const wrong = join(directory, "collect.json");
  writeFileSync(
    wrong,
    JSON.stringify({ schemaVersion: 1, kind: "collect", toolVersion: "0.1.0", createdAt: "now" }),
  );
  const outcome = run("report", ice, wrong, "--html", join(directory, "r.html"));
  assert.equal(outcome.code, 2);
  assert.match(
    outcome.stderr,
    /^distillscope: .*collect\.json: field "kind" is "collect"; a report reads results of kind "ice", "rse" or "lineage"\n$/,
  );
  const newer = join(directory, "newer.json");
  writeFileSync(newer, JSON.stringify({ ...JSON.parse(readFileSync(ice, "utf8")), schemaVersion: 99 }));
  const second = run("report", newer, "--md", join(directory, "r.md"));
  assert.equal(second.code, 2);
  assert.match(second.stderr, /schemaVersion 99 is newer than this tool reads/);
  assert.equal(existsSync(join(directory, "r.md")), false);
});

test("without --html or --md the Markdown summary goes to standard output", () => {
  const { ice } = inputs();
  const outcome = run("report", ice);
  assert.equal(outcome.code, 0, outcome.stderr);
  assert.match(outcome.stdout, /^# distillscope report\n/);
  assert.match(outcome.stdout, /## Identity consistency \(ICE\)/);
});
