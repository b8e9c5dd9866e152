import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  appendFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test from "node:test";
import { InputError } from "../errors.ts";
import {
  manifestVersion,
  modelsOf,
  placeInFolder,
  placeOfFile,
  scrubEndpoint,
  scrubSecrets,
  verifyManifest,
} from "./manifest.ts";
import { sampleIceResult, sampleLineageResult, sampleRseResult } from "./sample-results.ts";
import { writeReport } from "./write-report.ts";

function sha256(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

function fixture() {
  const directory = mkdtempSync(join(tmpdir(), "distillscope-manifest-"));
  const icePath = join(directory, "ice.json");
  writeFileSync(
    icePath,
    JSON.stringify({
      ...sampleIceResult({ target: "deepseek:deepseek-chat", items: 10 }),
      endpoint: "https://user:pw@api.example.com/v1?key=AIzaSyA1234567890123456789012",
    }),
  );
  const transcriptPath = join(directory, "transcripts.jsonl");
  writeFileSync(transcriptPath, '{"id":"1","model":"m","response":"hi"}\n');
  return { directory, icePath, transcriptPath };
}

test("writeReport writes HTML, Markdown and a manifest that hashes every file; verify says OK", async () => {
  const { directory, icePath, transcriptPath } = fixture();
  const reportDirectory = join(directory, "report");
  const written = await writeReport({
    results: [icePath, sampleRseResult({ target: "deepseek:deepseek-chat" }), sampleLineageResult()],
    outputDirectory: reportDirectory,
    transcripts: [transcriptPath],
    config: {
      targets: [{ id: "openai:gpt-4o", apiKey: "sk-live-abcdefghijklmnop" }],
      apiKeyEnv: "OPENAI_API_KEY",
    },
  });
  assert.ok(written.manifest && written.manifestPath && written.htmlPath && written.markdownPath);
  const manifest = JSON.parse(readFileSync(written.manifestPath, "utf8"));
  const files = manifest.files as Array<{ path: string; sha256: string; role: string }>;
  const byPath = new Map(files.map((file) => [file.path, file]));
  assert.deepEqual(
    [...byPath.keys()].sort(),
    [
      "report.html",
      "report.md",
      "results/02-rse-deepseek_deepseek-chat.json",
      "results/03-lineage.json",
      "results/ice.json",
    ].sort(),
  );
  // The transcript outside the folder is recorded by name and hash only.
  assert.deepEqual(
    manifest.external.map((file: { name: string; role: string }) => `${file.role}:${file.name}`),
    ["transcript:transcripts.jsonl"],
  );
  assert.equal(manifest.external[0].sha256, sha256(transcriptPath));
  for (const [path, file] of byPath) assert.equal(file.sha256, sha256(join(reportDirectory, path)), path);
  assert.equal(manifest.tool.name, "distillscope");
  assert.ok(
    manifest.models.some(
      (model: { id: string; role: string }) =>
        model.id === "deepseek:deepseek-chat" && model.role === "target",
    ),
  );
  const text = readFileSync(written.manifestPath, "utf8");
  assert.doesNotMatch(text, /sk-live|AIzaSy|user:pw/);
  assert.equal(manifest.config.targets[0].apiKey, "[redacted]");
  assert.equal(manifest.config.apiKeyEnv, "OPENAI_API_KEY");

  const outcome = await verifyManifest(reportDirectory);
  assert.equal(outcome.ok, true);
  assert.equal(outcome.entries.length, 5);
  assert.equal(outcome.external.length, 1);
  assert.ok(outcome.entries.every((entry) => entry.status === "ok"));
});

test("verify reports a changed file as mismatch and a deleted one as missing", async () => {
  const { directory, icePath, transcriptPath } = fixture();
  const reportDirectory = join(directory, "out");
  await writeReport({
    results: [icePath],
    htmlPath: join(reportDirectory, "r.html"),
    manifest: true,
    transcripts: [transcriptPath],
  });
  appendFileSync(join(reportDirectory, "results", "ice.json"), " ");
  rmSync(join(reportDirectory, "r.html"));
  const outcome = await verifyManifest(join(reportDirectory, "manifest.json"));
  assert.equal(outcome.ok, false);
  const statuses = Object.fromEntries(outcome.entries.map((entry) => [entry.path, entry.status]));
  assert.deepEqual(statuses, {
    "results/ice.json": "mismatch",
    "r.html": "missing",
  });
});

test("verify refuses a missing or edited manifest with an InputError", async () => {
  const directory = mkdtempSync(join(tmpdir(), "distillscope-manifest-bad-"));
  await assert.rejects(
    verifyManifest(directory),
    (error: unknown) => error instanceof InputError && /no manifest/.test(error.message),
  );
  writeFileSync(
    join(directory, "manifest.json"),
    JSON.stringify({
      manifestVersion: 1,
      files: [{ path: "x", role: "result", sha256: "nothex", bytes: 1 }],
    }),
  );
  await assert.rejects(
    verifyManifest(directory),
    (error: unknown) => error instanceof InputError && /files\.0\.sha256/.test(error.message),
  );
  writeFileSync(join(directory, "manifest.json"), "{");
  await assert.rejects(
    verifyManifest(directory),
    (error: unknown) => error instanceof InputError && /invalid JSON/.test(error.message),
  );
});

test("verify without a path is an InputError saying what to pass, not a TypeError", async () => {
  for (const [target, shown] of [
    [undefined, "nothing"],
    ["", '""'],
    [42, "42"],
  ] as const)
    await assert.rejects(verifyManifest(target as unknown as string), (error: unknown) => {
      assert.ok(error instanceof InputError, String(error));
      assert.equal(
        error.message,
        `the report folder or manifest.json to verify must be a path, got ${shown}`,
      );
      return true;
    });
});

test("secrets are scrubbed from config values, endpoints and key-shaped strings", () => {
  assert.equal(scrubEndpoint("https://me:secret@host.example/v1?key=abc&model=x"), "https://host.example/v1");
  assert.deepEqual(
    scrubSecrets({
      token: "t",
      nested: [{ password: "p", note: "key sk-abcdefghijkl1234 here" }],
      keyVariable: "ANTHROPIC_API_KEY",
      count: 3,
    }),
    {
      token: "[redacted]",
      nested: [{ password: "[redacted]", note: "key [redacted] here" }],
      keyVariable: "ANTHROPIC_API_KEY",
      count: 3,
    },
  );
});

test("models are collected from every kind of result with their roles", () => {
  const models = modelsOf([
    sampleIceResult({ target: "qwen:qwen-max", items: 1 }),
    sampleRseResult({ target: "qwen:qwen-max", reference: "openai:gpt-4o" }),
    sampleLineageResult({ models: 3, candidates: 1 }),
  ]);
  assert.deepEqual(
    models.map((model) => `${model.role}:${model.id}`),
    [
      "target:qwen:qwen-max",
      "reference:openai:gpt-4o",
      "candidate:teacher-0",
      "student:student-1",
      "student:student-2",
    ],
  );
});

test("writeReport refuses to run without an output or without results", async () => {
  await assert.rejects(writeReport({ results: [sampleLineageResult()] }), {
    name: "InputError",
    message: "report: name an output: htmlPath (--html), markdownPath (--md) or outputDirectory",
  });
  await assert.rejects(
    writeReport({ results: [], htmlPath: join(tmpdir(), "x.html") }),
    /at least one result/,
  );
});

test("an audit's report folder verifies after it is copied: the config outside it is recorded by hash only (review-cli D13)", async () => {
  const directory = mkdtempSync(join(tmpdir(), "distillscope-manifest-audit-"));
  const configPath = join(directory, "distillscope.yaml");
  writeFileSync(configPath, "version: 1\ntargets:\n  - id: openai:qwen-max\n    identity: alibaba\n");
  const out = join(directory, "distillscope-report");
  const written = await writeReport({
    results: [sampleIceResult({ target: "openai:qwen-max", items: 3 })],
    outputDirectory: out,
    configPath,
  });
  const manifest = written.manifest;
  assert.ok(manifest);
  assert.ok(manifest.files.every((file) => !file.path.startsWith("..")));
  assert.deepEqual(manifest.external, [
    {
      name: "distillscope.yaml",
      role: "config",
      sha256: sha256(configPath),
      bytes: readFileSync(configPath).length,
    },
  ]);
  const moved = join(mkdtempSync(join(tmpdir(), "distillscope-manifest-moved-")), "report");
  cpSync(out, moved, { recursive: true });
  const outcome = await verifyManifest(moved);
  assert.equal(outcome.ok, true);
  assert.deepEqual(
    outcome.entries.map((entry) => entry.status),
    manifest.files.map(() => "ok"),
  );
});

test("models from an audit config are listed by id with label and a credential-free endpoint (review-cli D6)", () => {
  const config = {
    targets: [
      {
        id: "deepseek:deepseek-chat",
        identity: "deepseek",
        label: "DeepSeek-V3",
        "base-url": "https://user:pw@api.example.com/v1?key=AIzaSyA1234567890123456789012#frag",
      },
      { id: "openai:qwen-max", identity: "alibaba", "base-url": "http://127.0.0.1:8000/v1" },
    ],
    references: [{ id: "openai:gpt-4o-2024-08-06" }],
    judges: [{ name: "mini", model: "openai:gpt-4o-mini", "base-url": "https://judge.example/v1?token=t" }],
    evaluations: { ice: { helper: "openai:gpt-4o-mini" } },
  };
  const models = modelsOf(
    [
      sampleIceResult({ target: "DeepSeek-V3", items: 1 }),
      sampleRseResult({ target: "DeepSeek-V3", reference: "openai:gpt-4o-2024-08-06" }),
      sampleRseResult({ target: "openai:qwen-max", reference: "openai:gpt-4o-2024-08-06" }),
    ],
    config,
  );
  assert.deepEqual(models, [
    {
      id: "deepseek:deepseek-chat",
      role: "target",
      label: "DeepSeek-V3",
      endpoint: "https://api.example.com/v1",
    },
    {
      id: "openai:qwen-max",
      role: "target",
      endpoint: "http://127.0.0.1:8000/v1",
      endpointPlace: "loopback",
    },
    { id: "openai:gpt-4o-2024-08-06", role: "reference" },
    { id: "openai:gpt-4o-mini", role: "judge", label: "mini", endpoint: "https://judge.example/v1" },
    { id: "openai:gpt-4o-mini", role: "helper" },
  ]);
  assert.doesNotMatch(JSON.stringify(models), /pw|AIza|token|frag/);
});

test("endpoints recorded in results fill config models without a base-url; one id at two endpoints is two entries", () => {
  // The reference's base URL came from OPENAI_BASE_URL, so the config names none: the result records it.
  const config = { targets: [{ id: "openai:qwen-max" }], references: [{ id: "anthropic:claude-sonnet-4" }] };
  const rse = {
    ...sampleRseResult({ target: "openai:qwen-max", reference: "anthropic:claude-sonnet-4" }),
    models: [
      { role: "target", id: "openai:qwen-max", endpoint: "10.1.2.3:8000" },
      { role: "reference", id: "anthropic:claude-sonnet-4", endpoint: "127.0.0.1:9999/fake" },
    ],
  };
  const ice = {
    ...sampleIceResult({ target: "anthropic:claude-sonnet-4", items: 1 }),
    models: [{ role: "reference", id: "anthropic:claude-sonnet-4", endpoint: "api.anthropic.com" }],
  };
  const models = modelsOf([rse, ice], config);
  assert.deepEqual(models, [
    { id: "openai:qwen-max", role: "target", endpoint: "10.1.2.3:8000", endpointPlace: "private" },
    {
      id: "anthropic:claude-sonnet-4",
      role: "reference",
      endpoint: "127.0.0.1:9999/fake",
      endpointPlace: "loopback",
    },
    { id: "anthropic:claude-sonnet-4", role: "target" },
  ]);
  // Without the config, the same reference asked at a loopback fake and at the real API is listed twice.
  const bare = modelsOf([rse, ice]).filter((model) => model.role === "reference");
  assert.deepEqual(
    bare.map((model) => [model.endpoint, model.endpointPlace]),
    [
      ["127.0.0.1:9999/fake", "loopback"],
      ["api.anthropic.com", undefined],
    ],
  );
});

test("new manifests are version 2; verify checks a version-1 manifest's inside files and never reads its ../ or absolute entries (review2 A1)", async () => {
  const directory = mkdtempSync(join(tmpdir(), "distillscope-manifest-v1-"));
  const written = await writeReport({
    results: [sampleIceResult({ target: "openai:qwen-max", items: 2 })],
    outputDirectory: join(directory, "new"),
  });
  assert.equal(manifestVersion, 2);
  assert.equal(written.manifest?.manifestVersion, 2);
  // A manifest as `report ice.json --html oldout/report.html --manifest` wrote it before version 2:
  // the result beside the folder listed as ../ice.json. Outside entries carry the right hashes, so
  // had verify read them they would say OK.
  const icePath = join(directory, "ice.json");
  writeFileSync(icePath, JSON.stringify(sampleIceResult({ target: "openai:qwen-max", items: 2 })));
  const old = join(directory, "oldout");
  mkdirSync(old);
  writeFileSync(join(old, "report.html"), "<html>old</html>");
  const entry = (path: string, file: string, role: string) => ({
    path,
    role,
    sha256: sha256(file),
    bytes: readFileSync(file).length,
  });
  writeFileSync(
    join(old, "manifest.json"),
    JSON.stringify({
      manifestVersion: 1,
      tool: { name: "distillscope", version: "0.1.0" },
      results: [{ path: "../ice.json", kind: "ice" }],
      files: [
        entry("../ice.json", icePath, "result"),
        entry(icePath, icePath, "config"),
        entry("report.html", join(old, "report.html"), "report"),
      ],
    }),
  );
  const outcome = await verifyManifest(old);
  assert.equal(outcome.ok, true);
  assert.equal(outcome.manifestVersion, 1);
  assert.equal(outcome.checked, 1);
  assert.equal(outcome.notChecked, 2);
  assert.deepEqual(
    outcome.entries.map((file) => [
      file.path === icePath ? "(absolute)" : file.path,
      file.status,
      file.outside,
    ]),
    [
      ["../ice.json", "outside", "parent"],
      ["(absolute)", "outside", "absolute"],
      ["report.html", "ok", undefined],
    ],
  );
  assert.ok(
    outcome.entries.filter((file) => file.status === "outside").every((file) => file.actual === undefined),
  );
  // Inside files are still checked strictly.
  appendFileSync(join(old, "report.html"), " ");
  const changed = await verifyManifest(old);
  assert.equal(changed.ok, false);
  assert.deepEqual(
    changed.entries.map((file) => file.status),
    ["outside", "outside", "mismatch"],
  );
  // Nothing inside to check is not a pass.
  writeFileSync(
    join(old, "manifest.json"),
    JSON.stringify({ manifestVersion: 1, files: [entry("../ice.json", icePath, "result")] }),
  );
  const empty = await verifyManifest(old);
  assert.equal(empty.ok, false);
  assert.equal(empty.checked, 0);
});

test("inside is decided by one rule for writer and verify: a link out of the folder is outside (review2 A2)", async () => {
  const directory = mkdtempSync(join(tmpdir(), "distillscope-manifest-link-"));
  const data = join(directory, "data");
  mkdirSync(data);
  writeFileSync(
    join(data, "ice.json"),
    JSON.stringify(sampleIceResult({ target: "openai:qwen-max", items: 2 })),
  );
  const folder = join(directory, "report");
  mkdirSync(folder);
  symlinkSync("../data", join(folder, "results"));
  mkdirSync(join(folder, "real"));
  symlinkSync("real", join(folder, "latest"));
  assert.deepEqual(placeInFolder(folder, "results/ice.json"), { inside: false, why: "link" });
  assert.deepEqual(placeInFolder(folder, "../data/ice.json"), { inside: false, why: "parent" });
  assert.deepEqual(placeInFolder(folder, "/etc/passwd"), { inside: false, why: "absolute" });
  assert.deepEqual(placeInFolder(folder, "latest/x.json"), { inside: true, path: "latest/x.json" });
  assert.deepEqual(placeOfFile(folder, join(folder, "latest", "x.json")), {
    inside: true,
    path: "real/x.json",
  });
  assert.deepEqual(placeOfFile(folder, join(folder, "results", "ice.json")), { inside: false, why: "link" });

  // Writer: the result reached through results/ -> ../data is recorded by name and hash only, and no
  // copy is written to the data folder; verify agrees and passes.
  const written = await writeReport({
    results: [join(folder, "results", "ice.json")],
    htmlPath: join(folder, "report.html"),
    manifest: true,
  });
  assert.deepEqual(
    written.manifest?.files.map((file) => file.path),
    ["report.html"],
  );
  assert.deepEqual(
    written.manifest?.external.map((file) => `${file.role}:${file.name}`),
    ["result:ice.json"],
  );
  assert.deepEqual(readdirSync(data), ["ice.json"]);
  const outcome = await verifyManifest(folder);
  assert.equal(outcome.ok, true);
  assert.equal(outcome.notChecked, 0);
  assert.equal(outcome.external.length, 1);

  // A single file linked from inside the folder to outside it is copied in, and then verifies.
  const single = join(directory, "single");
  mkdirSync(single);
  symlinkSync(join(data, "ice.json"), join(single, "ice.json"));
  const copied = await writeReport({
    results: [join(single, "ice.json")],
    htmlPath: join(single, "report.html"),
    manifest: true,
  });
  assert.deepEqual(copied.manifest?.files.map((file) => file.path).sort(), [
    "report.html",
    "results/ice.json",
  ]);
  assert.equal((await verifyManifest(single)).ok, true);

  // Verify: a received manifest listing the linked file (right hash) does not follow the link.
  const manifest = JSON.parse(readFileSync(join(folder, "manifest.json"), "utf8"));
  manifest.files.push({
    path: "results/ice.json",
    role: "result",
    sha256: sha256(join(data, "ice.json")),
    bytes: 1,
  });
  writeFileSync(join(folder, "manifest.json"), JSON.stringify(manifest));
  const received = await verifyManifest(folder);
  assert.equal(received.ok, true);
  assert.deepEqual(
    received.entries.map((file) => [file.path, file.status, file.outside, file.actual]),
    [
      ["report.html", "ok", undefined, sha256(join(folder, "report.html"))],
      ["results/ice.json", "outside", "link", undefined],
    ],
  );
});

test("verify never reads through .. in a manifest path: out of the folder is not checked, a link's .. is not followed", async () => {
  const root = mkdtempSync(join(tmpdir(), "distillscope-manifest-dots-"));
  const folder = join(root, "report");
  const outside = join(root, "outside");
  mkdirSync(join(folder, "sub"), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(outside, "result.json"), "outside");
  writeFileSync(join(root, "result.json"), "outside, beside the folder");
  writeFileSync(join(folder, "result.json"), "inside");
  // results -> ../outside: the kernel would take results/.. to `root`; verify reads the folder's own file.
  symlinkSync("../outside", join(folder, "results"));
  const listed = (path: string, text: string) => ({
    path,
    role: "result",
    sha256: createHash("sha256").update(text).digest("hex"),
    bytes: text.length,
  });
  writeFileSync(
    join(folder, "manifest.json"),
    JSON.stringify({
      manifestVersion: 2,
      files: [
        listed("sub/../../outside/result.json", "outside"),
        listed("results/../result.json", "outside, beside the folder"),
        listed("sub/../result.json", "inside"),
      ],
      external: [],
    }),
  );
  const outcome = await verifyManifest(folder);
  assert.deepEqual(
    outcome.entries.map((entry) => [entry.path, entry.status, entry.outside]),
    [
      ["sub/../../outside/result.json", "outside", "parent"],
      ["results/../result.json", "mismatch", undefined],
      ["sub/../result.json", "ok", undefined],
    ],
  );
  assert.equal(outcome.entries[1]?.actual, sha256(join(folder, "result.json")));
});
