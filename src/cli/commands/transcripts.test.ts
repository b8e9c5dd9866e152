import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";

const cliPath = join(import.meta.dirname, "../main.ts");
const scratch = mkdtempSync(join(tmpdir(), "distillscope-transcripts-cli-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

function runCli(args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cliPath, ...args], {
    env: {
      PATH: process.env.PATH,
      CI: "true",
      ...(process.env.NODE_OPTIONS === undefined ? {} : { NODE_OPTIONS: process.env.NODE_OPTIONS }),
    },
    encoding: "utf8",
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const line = (id: string, response: string): string =>
  JSON.stringify({
    id,
    model: "openai:m",
    messages: [{ role: "user", content: `question ${id}` }],
    response,
    usage: { inputTokens: 1, outputTokens: 1 },
    latencyMs: 3,
    cached: false,
    endpoint: "127.0.0.1:1",
  });

test("transcripts import then export gives the same answers back; a second import adds nothing", () => {
  const file = join(scratch, "in.jsonl");
  writeFileSync(file, `${line("a", "first")}\n${line("b", "second <script>")}\n`);
  const home = join(scratch, "home");
  const imported = runCli(["--home", home, "transcripts", "import", file]);
  assert.equal(imported.code, 0, imported.stderr);
  assert.match(imported.stderr, /imported 2 answers/);
  const again = runCli(["--home", home, "transcripts", "import", file]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /imported 0 answers .*\(2 already stored\)/);
  assert.doesNotMatch(again.stderr, /no answer lines/, "a file whose answers are all stored is not empty");
  const out = join(scratch, "out.jsonl");
  const exported = runCli([
    "--home",
    home,
    "--quiet",
    "transcripts",
    "export",
    "--out",
    out,
    "--model",
    "openai:m",
  ]);
  assert.equal(exported.code, 0, exported.stderr);
  assert.equal(exported.stderr, "", "--quiet prints nothing");
  const lines = readFileSync(out, "utf8")
    .trim()
    .split("\n")
    .map((text) => JSON.parse(text));
  assert.deepEqual(
    lines.map((entry) => [entry.id, entry.response, entry.messages[0].content]),
    [
      ["a", "first", "question a"],
      ["b", "second <script>", "question b"],
    ],
  );
});

test("export --model matches a bare model name as replay does; no match exits 2 naming the stored models", () => {
  const file = join(scratch, "in-typo.jsonl");
  writeFileSync(file, `${line("a", "first")}\n`);
  const home = join(scratch, "home-typo");
  assert.equal(runCli(["--home", home, "transcripts", "import", file]).code, 0);
  const bare = join(scratch, "bare.jsonl");
  const exported = runCli(["--home", home, "transcripts", "export", "--out", bare, "--model", "m"]);
  assert.equal(exported.code, 0, exported.stderr);
  assert.match(exported.stderr, /exported 1 answers/);
  assert.deepEqual(
    readFileSync(bare, "utf8")
      .trim()
      .split("\n")
      .map((text) => JSON.parse(text).model),
    ["openai:m"],
  );
  const out = join(scratch, "typo.jsonl");
  const typo = runCli(["--home", home, "transcripts", "export", "--out", out, "--model", "openai:n"]);
  assert.equal(typo.code, 2, typo.stderr);
  assert.equal(
    typo.stderr,
    "distillscope: model (--model) openai:n: no stored answers of this model; models in the store: openai:m\n",
  );
  assert.equal(existsSync(out), false, "no empty file is left behind");
});

test("export --out into a folder that does not exist makes it, as collect and ice do; --out a folder is exit 2", () => {
  const file = join(scratch, "in-folder.jsonl");
  writeFileSync(file, `${line("a", "first")}\n`);
  const home = join(scratch, "home-folder");
  assert.equal(runCli(["--home", home, "transcripts", "import", file]).code, 0);
  const out = join(scratch, "new", "deeper", "all.jsonl");
  const exported = runCli(["--home", home, "transcripts", "export", "--out", out]);
  assert.equal(exported.code, 0, exported.stderr);
  assert.equal(JSON.parse(readFileSync(out, "utf8")).response, "first");
  const onFolder = runCli(["--home", home, "transcripts", "export", "--out", scratch]);
  assert.equal(onFolder.code, 2);
  assert.match(onFolder.stderr, /^distillscope: --out .*: is a folder; /);
});

test("a bad transcript line: one line naming file and line, exit 2, no stack", () => {
  const file = join(scratch, "bad.jsonl");
  writeFileSync(file, `${line("a", "x")}\n{"id": 3}\n`);
  const result = runCli(["--home", join(scratch, "home-bad"), "transcripts", "import", file]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /^distillscope: bad\.jsonl:2: /);
  assert.equal(result.stderr.trim().split("\n").length, 1);
});

test("an unwritable home is exit 2 naming the path", () => {
  const file = join(scratch, "plain-file");
  writeFileSync(file, "x");
  const result = runCli([
    "--home",
    join(file, "home"),
    "transcripts",
    "export",
    "--out",
    join(scratch, "x.jsonl"),
  ]);
  assert.equal(result.code, 2);
  assert.ok(result.stderr.includes(join(file, "home")), result.stderr);
});

test("--help of collect and transcripts shows an example", () => {
  for (const command of [
    ["collect"],
    ["transcripts"],
    ["transcripts", "export"],
    ["transcripts", "import"],
  ]) {
    const help = runCli([...command, "--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Example:\n[\s\S]*distillscope /);
  }
});

test("transcripts import of an empty file warns on stderr and still exits 0 (an export of an empty store)", () => {
  const file = join(scratch, "empty.jsonl");
  writeFileSync(file, "\n\n");
  const result = runCli(["--home", join(scratch, "home-empty"), "transcripts", "import", file]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /imported 0 answers .*\(0 already stored\)/);
  assert.match(result.stderr, /warning: .*empty\.jsonl holds no answer lines/);
});
