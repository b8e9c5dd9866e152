import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import test from "node:test";
import { pathProblem, usageErrorLine } from "./main.ts";

const main = resolve(import.meta.dirname, "main.ts");

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const home = mkdtempSync(join(tmpdir(), "distillscope-usage-"));
  const outcome = spawnSync(process.execPath, [main, "--home", home, ...args], {
    encoding: "utf8",
    timeout: 30_000,
  });
  return { status: outcome.status, stdout: outcome.stdout, stderr: outcome.stderr };
}

test("usage errors are one line prefixed like every other error", () => {
  assert.equal(
    usageErrorLine("error: unknown option '--bogus'\n"),
    "distillscope: unknown option '--bogus' (run with --help for usage)\n",
  );
  assert.equal(
    usageErrorLine("error: unknown command 'judgee'\n(Did you mean judge?)\n"),
    "distillscope: unknown command 'judgee' (Did you mean judge?) (run with --help for usage)\n",
  );
});

test("a missing required option, an unknown option and an unknown command: exit 2, one stderr line", () => {
  const cases = [
    { args: ["collect", "--prompts", "p.jsonl", "--out", "t.jsonl"], names: /required option '--target/ },
    {
      args: ["lineage", "corpus", "--format", "jsonl", "--out", "l.json", "--bogus"],
      names: /unknown option '--bogus'/,
    },
    { args: ["ice", "judgee"], names: /unknown command 'judgee'.*Did you mean judge\?/ },
  ];
  for (const { args, names } of cases) {
    const { status, stderr } = run(...args);
    assert.equal(status, 2, stderr);
    const lines = stderr.trimEnd().split("\n");
    assert.equal(lines.length, 1, stderr);
    assert.match(lines[0] ?? "", /^distillscope: /);
    assert.match(lines[0] ?? "", names);
  }
});

test("a misspelt option is reported before the required option it was meant to be, on every command", () => {
  const cases = [
    {
      args: ["collect", "--promts", "x.jsonl", "--target", "openai:x"],
      names: /unknown option '--promts' \(Did you mean --prompts\?\)/,
    },
    {
      args: ["ice", "run", "--targt", "openai:x"],
      names: /unknown option '--targt' \(Did you mean --target\?\)/,
    },
    {
      args: ["audit", "--confg", "distillscope.yaml"],
      names: /unknown option '--confg' \(Did you mean --config\?\)/,
    },
    {
      args: ["lineage", "corpus", "--formt", "jsonl"],
      names: /unknown option '--formt' \(Did you mean --format\?\)/,
    },
  ];
  for (const { args, names } of cases) {
    const { status, stderr } = run(...args);
    assert.equal(status, 2, stderr);
    const lines = stderr.trimEnd().split("\n");
    assert.equal(lines.length, 1, stderr);
    assert.match(lines[0] ?? "", names);
    assert.doesNotMatch(lines[0] ?? "", /required option/);
  }
});

/** A folder of two models' transcripts (the lineage `jsonl` format). */
function transcriptsFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), "distillscope-corpus-"));
  for (const model of ["openai:a", "openai:b"]) {
    const lines = ["q1", "q2", "q3"].map((id) =>
      JSON.stringify({ id, sample: 0, model, response: `${model} answers ${id} in its own words` }),
    );
    writeFileSync(join(folder, `${model.replace(":", "-")}.jsonl`), `${lines.join("\n")}\n`);
  }
  return folder;
}

test("only Node's own file errors on a path become a path problem", () => {
  const raw = Object.assign(new Error("ENOTDIR: not a directory, open '/dev/null/x.json'"), {
    code: "ENOTDIR",
    syscall: "open",
    path: "/dev/null/x.json",
  });
  assert.equal(
    pathProblem(raw),
    "/dev/null/x.json: open failed (ENOTDIR); check the path, and that its folder exists and is writable",
  );
  assert.equal(
    pathProblem(Object.assign(new Error("refused"), { code: "ECONNREFUSED", syscall: "connect" })),
    undefined,
  );
  assert.equal(pathProblem(new Error("plain")), undefined);
});

test("an --out in a folder that does not exist or is a file: exit 2, one line naming the path", () => {
  const corpus = transcriptsFolder();
  // lineage and init make a missing folder, as ice, rse and collect do; a file in the way is refused.
  const underFile = join(corpus, "openai-a.jsonl", "lineage.json");
  const lineage = run("lineage", corpus, "--format", "jsonl", "--out", underFile);
  assert.equal(lineage.status, 2, lineage.stderr);
  assert.equal(lineage.stderr.trimEnd().split("\n").length, 1, lineage.stderr);
  assert.match(
    lineage.stderr,
    /^distillscope: --out .*openai-a\.jsonl is a file, not a folder; check the path/,
  );
  const init = run("init", "--out", join(corpus, "openai-a.jsonl", "distillscope.yaml"));
  assert.equal(init.status, 2, init.stderr);
  assert.equal(init.stderr.trimEnd().split("\n").length, 1, init.stderr);
  assert.match(init.stderr, /^distillscope: --out .*openai-a\.jsonl is a file, not a folder; check the path/);
});

test("lineage --quiet prints nothing and still writes the result", () => {
  const corpus = transcriptsFolder();
  const out = join(corpus, "lineage.json");
  const quiet = run("--quiet", "lineage", corpus, "--format", "jsonl", "--out", out);
  assert.equal(quiet.status, 0, quiet.stderr);
  assert.equal(quiet.stdout, "");
  assert.equal(quiet.stderr, "");
  assert.ok(existsSync(out));
  const loud = run("lineage", corpus, "--format", "jsonl", "--out", out);
  assert.match(loud.stdout, /2 models, 3 aligned prompts/);
});

test("ice run and rse run check --out before sending anything", async () => {
  const { startMockProviderServer } = await import("../testing/mock-provider-server.ts");
  const server = await startMockProviderServer({ apiKey: "usage-test-key" });
  try {
    const corpus = transcriptsFolder();
    // A path under a file: it can never be written, whatever the models answer.
    const out = join(corpus, "openai-a.jsonl", "result.json");
    const common = ["--base-url", server.openaiBaseUrl, "--out", out];
    for (const args of [
      ["ice", "run", "--target", "openai:m", "--identity", "openai", "--budget", "5", ...common],
      ["rse", "run", "--target", "openai:m", "--reference", "openai:r", "--limit", "2", ...common],
    ]) {
      const outcome = spawnSync(process.execPath, [main, "--home", corpus, ...args], {
        encoding: "utf8",
        timeout: 30_000,
        env: { PATH: process.env.PATH, OPENAI_API_KEY: "usage-test-key", CI: "true" },
      });
      assert.equal(outcome.status, 2, outcome.stderr);
      assert.match(
        outcome.stderr,
        /^distillscope: --out .*result\.json: .*openai-a\.jsonl is a file, not a folder; check the path/,
      );
    }
    assert.equal(server.stats().requests, 0, "no model was asked anything");
  } finally {
    await server.close();
  }
});
