import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
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
  assert.match(verify.stdout, /^OK\s+result\s+results\/ice\.json$/m);
  assert.match(verify.stdout, /verified 4 files: all match/);
  // The folder holds everything it lists, so a copy of it verifies anywhere (review-cli D13).
  const moved = join(mkdtempSync(join(tmpdir(), "distillscope-moved-")), "report");
  cpSync(out, moved, { recursive: true });
  const movedVerify = run("verify", moved);
  assert.equal(movedVerify.code, 0, movedVerify.stdout + movedVerify.stderr);
  assert.match(movedVerify.stdout, /verified 4 files: all match/);
  // A result dropped into the folder afterwards is not covered by the manifest: verify says so.
  writeFileSync(join(moved, "results", "ice-extra.json"), "{}");
  const added = run("verify", moved);
  assert.equal(added.code, 0, added.stderr);
  assert.match(
    added.stdout,
    /^UNLISTED\s+results\/ice-extra\.json \(in the report folder, not in the manifest: not covered\)$/m,
  );
  assert.match(
    added.stdout,
    /^verified 4 files: all match; 1 file in the folder not in the manifest \(not covered by it\)$/m,
  );
});

test("verify prints a MISMATCH line and exits 2 when a file changed", () => {
  const { directory, ice } = inputs();
  const out = join(directory, "out");
  assert.equal(run("report", ice, "--html", join(out, "r.html"), "--manifest").code, 0);
  appendFileSync(join(out, "results", "ice.json"), " ");
  const verify = run("verify", out);
  assert.equal(verify.code, 2);
  assert.match(
    verify.stdout,
    /^MISMATCH\s+result\s+results\/ice\.json \(expected [0-9a-f]{64}, found [0-9a-f]{64}\)$/m,
  );
  assert.match(
    verify.stderr,
    /^distillscope: verify: 1 of 2 files in .*manifest\.json are changed or missing\n$/,
  );
});

test("verify re-derives a result's figures: INCONSISTENT when its hash matches but its scores do not follow from its items", () => {
  const { directory, ice } = inputs();
  const out = join(directory, "out");
  assert.equal(run("report", ice, "--html", join(out, "r.html"), "--manifest").code, 0);
  // As a tool without the write-time check could have written it: the scores edited, the manifest's hash
  // made to match the edited bytes.
  const resultPath = join(out, "results", "ice.json");
  const result = JSON.parse(readFileSync(resultPath, "utf8"));
  result.scores.loose = result.scores.loose === 1 ? 0 : 1;
  const edited = JSON.stringify(result);
  writeFileSync(resultPath, edited);
  const manifestPath = join(out, "manifest.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  const entry = manifest.files.find((file: { path: string }) => file.path === "results/ice.json");
  entry.sha256 = createHash("sha256").update(edited).digest("hex");
  writeFileSync(manifestPath, JSON.stringify(manifest));
  const verify = run("verify", out);
  assert.equal(verify.code, 2, verify.stdout + verify.stderr);
  assert.match(
    verify.stdout,
    /^INCONSISTENT result\s+results\/ice\.json \(hash matches, but its figures disagree with its own items: scores\.loose is [01] but its 20 items give [\d.]+\)$/m,
  );
  assert.match(verify.stdout, /^OK\s+report\s+r\.html$/m);
  assert.match(
    verify.stderr,
    /^distillscope: verify: 1 result in .*manifest\.json has figures that disagree with its own items/,
  );
  // A result file that is no longer a result of this tool's schema keeps its hash check, and says why it
  // was not re-derived.
  const newer = JSON.stringify({ ...result, schemaVersion: 99 });
  writeFileSync(resultPath, newer);
  entry.sha256 = createHash("sha256").update(newer).digest("hex");
  writeFileSync(manifestPath, JSON.stringify(manifest));
  const later = run("verify", out);
  assert.equal(later.code, 0, later.stdout + later.stderr);
  assert.match(
    later.stdout,
    /^OK\s+result\s+results\/ice\.json \(figures not re-derived: .*schemaVersion 99 is newer/m,
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

test("a result whose scores its own items do not give (edited by hand) exits 2 and writes nothing", () => {
  const { directory, ice } = inputs();
  const result = JSON.parse(readFileSync(ice, "utf8"));
  const stated = result.scores.strict;
  result.scores.strict = stated === 0.9 ? 0.8 : 0.9;
  const edited = join(directory, "edited.json");
  writeFileSync(edited, JSON.stringify(result));
  const outcome = run("report", edited, "--html", join(directory, "r.html"), "--md", join(directory, "r.md"));
  assert.equal(outcome.code, 2, outcome.stderr);
  assert.match(
    outcome.stderr,
    /^distillscope: .*edited\.json: its figures disagree with its own items \(scores\.strict is 0\.[89]00000 but its 20 items give [\d.]+\); the file was edited or damaged: regenerate it with distillscope ice\n$/,
  );
  assert.equal(existsSync(join(directory, "r.html")), false);
  assert.equal(existsSync(join(directory, "r.md")), false);
  // The file as the tool wrote it is reported.
  assert.equal(run("report", ice, "--md", join(directory, "r.md")).code, 0);
});

test("without --html or --md the Markdown summary goes to standard output", () => {
  const { ice } = inputs();
  const outcome = run("report", ice);
  assert.equal(outcome.code, 0, outcome.stderr);
  assert.match(outcome.stdout, /^# distillscope report\n/);
  assert.match(outcome.stdout, /## Identity consistency \(ICE\)/);
});

/** Every code point a terminal acts on (C0 but tab and line feed, DEL, C1, bidi overrides and isolates). */
const terminalControl = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

test("report on standard output shows answers' terminal controls as visible escapes (review-hostile D4)", () => {
  const { directory } = inputs();
  const hostile = join(directory, "ice-hostile.json");
  const answers = [
    "\u001bc\u001b]0;ANSWER-TITLE\u0007\u001b[2J\u001b[31mI am ChatGPT\u202e\u0000",
    "\u001b]8;;http://evil.example/\u001b\\click\u001b]8;;\u001b\\ \u001b]52;c;aGk=\u0007 \u009b2J",
  ];
  writeFileSync(
    hostile,
    JSON.stringify(sampleIceResult({ target: "evil\u001b]0;T\u0007", items: 2, responses: answers })),
  );
  const outcome = run("report", hostile);
  assert.equal(outcome.code, 0, outcome.stderr);
  assert.doesNotMatch(outcome.stdout, terminalControl);
  assert.match(outcome.stdout, /\\u001b\]0;ANSWER-TITLE\\u0007\\u001b\[2J/);
  assert.match(outcome.stdout, /\\u001b\]8;;http:\/\/evil\.example\//);
});

test("--manifest without --html or --md exits 2 and writes nothing (review-cli D3)", () => {
  const { directory, ice } = inputs();
  for (const extra of [["--manifest"], ["--transcript", ice], ["--config", ice]]) {
    const outcome = run("report", ice, ...extra);
    assert.equal(outcome.code, 2, extra.join(" "));
    assert.equal(outcome.stdout, "");
    assert.match(outcome.stderr, /^distillscope: report: --manifest, --transcript and --config need --html/);
  }
  assert.deepEqual(readdirSync(directory).sort(), ["ice.json", "lineage.json"]);
});

test("a missing --transcript exits 2 before any report file is written (review-cli D5)", () => {
  const { directory, ice } = inputs();
  const out = join(directory, "out");
  const outcome = run(
    "report",
    ice,
    "--html",
    join(out, "report.html"),
    "--md",
    join(out, "report.md"),
    "--manifest",
    "--transcript",
    join(directory, "nope.jsonl"),
  );
  assert.equal(outcome.code, 2);
  assert.match(outcome.stderr, /nope\.jsonl: transcript file not found/);
  assert.equal(existsSync(out), false, "nothing may be written on bad input");
});

function writeManifest(directory: string, paths: string[]): void {
  const files = paths.map((path) => ({ path, role: "report", sha256: "0".repeat(64), bytes: 1 }));
  writeFileSync(join(directory, "manifest.json"), JSON.stringify({ manifestVersion: 1, files }));
}

test("verify never reads absolute paths, .. or links out of the folder: NOT CHECKED, the inside files decide (review-hostile D11, review2 A1)", () => {
  const { directory, ice } = inputs();
  const received = join(directory, "received");
  mkdirSync(received);
  symlinkSync(join(directory, "ice.json"), join(received, "link.json"));
  writeFileSync(join(received, "report.html"), "<html></html>");
  const iceHash = createHash("sha256").update(readFileSync(ice)).digest("hex");
  const outside = [
    join(directory, "ice.json"),
    "../../../../../../etc/passwd",
    "sub/../../ice.json",
    "link.json",
  ];
  const files = [
    {
      path: "report.html",
      role: "report",
      sha256: createHash("sha256").update("<html></html>").digest("hex"),
      bytes: 13,
    },
    // The right hash of the file each entry leads to: had verify read one, it would say OK.
    ...outside.map((path) => ({ path, role: "result", sha256: iceHash, bytes: 1 })),
  ];
  for (const version of [1, 2]) {
    writeFileSync(join(received, "manifest.json"), JSON.stringify({ manifestVersion: version, files }));
    const outcome = run("verify", received);
    if (version === 2) {
      // Version 2 lists only files inside the folder: an entry leading out of it is tampering.
      assert.equal(outcome.code, 2);
      assert.match(
        outcome.stderr,
        /^distillscope: verify: 4 entries of .*manifest\.json lead outside the report folder; a version-2 manifest lists only files inside it, so the manifest was edited or a file or folder was replaced by a link out\n$/,
      );
      for (const entry of outside)
        assert.ok(outcome.stdout.includes(`NOT CHECKED (outside the report folder) result     ${entry}`));
      assert.doesNotMatch(outcome.stdout, /^OK\s+result/m);
      continue;
    }
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.match(outcome.stdout, /^OK\s+report\s+report\.html$/m);
    for (const entry of outside)
      assert.ok(
        outcome.stdout.includes(`NOT CHECKED (outside the report folder) result     ${entry}`),
        `${entry}\n${outcome.stdout}`,
      );
    assert.match(outcome.stdout, /link\.json \(a symbolic link that leads out of the folder\)$/m);
    assert.doesNotMatch(outcome.stdout, /^OK\s+result/m);
    assert.match(outcome.stdout, /^verified 1 file: all match; 4 entries outside the folder not checked$/m);
  }
  // Outside entries alone: nothing was checked, which is not a pass.
  writeManifest(received, outside);
  const nothing = run("verify", received);
  assert.equal(nothing.code, 2);
  assert.match(
    nothing.stderr,
    /lists no file inside its report folder, so nothing was checked; 4 entries outside/,
  );
});

test("verify checks a manifest written before version 2 (result listed as ../ice.json) instead of refusing it (review2 A1)", () => {
  const { directory, ice } = inputs();
  const out = join(directory, "oldout");
  assert.equal(run("report", ice, "--html", join(out, "report.html"), "--manifest").code, 0);
  // Rewrite the manifest the way the tool wrote it before version 2: the result beside the folder.
  const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
  manifest.manifestVersion = 1;
  manifest.files = manifest.files.map((file: { path: string }) =>
    file.path === "results/ice.json" ? { ...file, path: "../ice.json" } : file,
  );
  writeFileSync(join(out, "manifest.json"), JSON.stringify(manifest));
  const verify = run("verify", out);
  assert.equal(verify.code, 0, verify.stderr);
  assert.match(verify.stdout, /^NOT CHECKED \(outside the report folder\) result\s+\.\.\/ice\.json$/m);
  assert.match(verify.stdout, /^OK\s+report\s+report\.html$/m);
  assert.match(verify.stdout, /^verified 1 file: all match; 1 entry outside the folder not checked$/m);
  appendFileSync(join(out, "report.html"), " ");
  const changed = run("verify", out);
  assert.equal(changed.code, 2);
  assert.match(
    changed.stderr,
    /1 of 1 file in .* are changed or missing; 1 entry outside the folder not checked/,
  );
});

test("a report folder with a symbolic link out of it: report --manifest writes what its own verify accepts (review2 A2)", () => {
  const { directory, ice } = inputs();
  const data = join(directory, "data");
  mkdirSync(data);
  cpSync(ice, join(data, "ice.json"));
  const folder = join(directory, "symdir");
  mkdirSync(folder);
  symlinkSync("../data", join(folder, "results"));
  const report = run(
    "report",
    join(folder, "results", "ice.json"),
    "--html",
    join(folder, "report.html"),
    "--manifest",
  );
  assert.equal(report.code, 0, report.stderr);
  assert.deepEqual(readdirSync(data), ["ice.json"], "no copy written through the link");
  const verify = run("verify", folder);
  assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  assert.match(verify.stdout, /^OK\s+report\s+report\.html$/m);
  assert.match(
    verify.stdout,
    /^EXTERNAL result\s+ice\.json \(outside the report folder, not checked; sha256 [0-9a-f]{64}\)$/m,
  );
  assert.match(verify.stdout, /^verified 1 file: all match; 1 external file not checked$/m);
});

test("verify prints manifest paths with terminal controls as visible escapes (review-hostile D5)", () => {
  const { directory } = inputs();
  const received = join(directory, "received");
  mkdirSync(received);
  writeManifest(received, ["x\u001b]0;VERIFY-TITLE\u0007\u001b[2J\rOK       report     all-good.html\nOK x"]);
  const outcome = run("verify", received);
  assert.equal(outcome.code, 2);
  assert.doesNotMatch(outcome.stdout, terminalControl);
  assert.equal(outcome.stdout.trimEnd().split("\n").length, 1, "one line per entry, no forged OK line");
  assert.match(outcome.stdout, /^MISSING\s+report\s+x\\u001b\]0;VERIFY-TITLE\\u0007\\u001b\[2J\\u000dOK/);
});

test("a transcript outside the report folder is listed as EXTERNAL by name and hash, not checked", () => {
  const { directory, ice } = inputs();
  const transcript = join(directory, "runs.jsonl");
  writeFileSync(transcript, '{"id":"1"}\n');
  const out = join(directory, "out");
  assert.equal(run("report", ice, "--md", join(out, "r.md"), "--transcript", transcript).code, 0);
  const manifest = readFileSync(join(out, "manifest.json"), "utf8");
  assert.ok(!manifest.includes(directory), "no local folder names in the manifest");
  const verify = run("verify", out);
  assert.equal(verify.code, 0, verify.stderr);
  assert.match(
    verify.stdout,
    /^EXTERNAL transcript runs\.jsonl \(outside the report folder, not checked; sha256 [0-9a-f]{64}\)$/m,
  );
});
