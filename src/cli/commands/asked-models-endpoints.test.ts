/**
 * End to end: `rse run` and `ice run` against loopback servers record, per model asked, its role, id and
 * endpoint; `report` shows them (Markdown, HTML, manifest) marked as loopback, and a base URL's user info,
 * query and key (from OPENAI_BASE_URL / ANTHROPIC_BASE_URL) reach no file. A result written before the
 * field existed still reports, said to record no endpoints.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { respondWithKnownMix } from "../../ice/run-loopback-fixture.ts";
import { syntheticCorpus } from "../../metrics/lineage-synthetic.ts";
import { sampleIceResult } from "../../report/sample-results.ts";
import {
  judgeModelName,
  sameStyleModelName,
  scriptedAnswer,
  scriptedJudgeReply,
  targetModelName,
} from "../../rse/loopback-fixture.ts";
import { type MockProviderServer, startMockProviderServer } from "../../testing/mock-provider-server.ts";
import { type CliRun, spawnCli } from "../../testing/spawn-cli.ts";

const folder = mkdtempSync(join(tmpdir(), "distillscope-asked-models-"));
const apiKey = "sk-asked-models-0123456789abcdef";
/** Secrets a base URL carries: none may reach a result, a report or the manifest. */
const userSecret = "basic-user-7f3e";
const passwordSecret = "basic-password-9c1d";
const querySecret = "query-token-4b8a";

let modelServer: MockProviderServer;
let judgeServer: MockProviderServer;
let iceServer: MockProviderServer;

before(async () => {
  modelServer = await startMockProviderServer({
    respond: ({ model, messages }) => scriptedAnswer(model, messages),
    apiKey,
  });
  judgeServer = await startMockProviderServer({
    respond: ({ messages }) => scriptedJudgeReply(messages),
    apiKey,
  });
  iceServer = await startMockProviderServer({ respond: respondWithKnownMix, apiKey });
});

after(async () => {
  await Promise.all([modelServer.close(), judgeServer.close(), iceServer.close()]);
  rmSync(folder, { recursive: true, force: true });
});

/** A base URL as users paste it with credentials: user info and a key in the query. */
function withSecrets(baseUrl: string): string {
  const url = new URL(baseUrl);
  url.username = userSecret;
  url.password = passwordSecret;
  url.searchParams.set("key", querySecret);
  return url.toString();
}

function hostOf(baseUrl: string): string {
  return new URL(baseUrl).host;
}

function cli(args: string[], environment: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return spawnCli(["--home", join(folder, "home"), ...args], {
    OPENAI_API_KEY: apiKey,
    ANTHROPIC_API_KEY: apiKey,
    CI: "true",
    ...environment,
  });
}

function assertNoSecret(text: string, where: string): void {
  for (const secret of [userSecret, passwordSecret, querySecret, apiKey])
    assert.ok(!text.includes(secret), `${where} holds ${secret}`);
}

test("rse run and ice run record where each model was asked; the report shows it marked as loopback, secrets nowhere", async () => {
  const rseOut = join(folder, "rse.json");
  const rse = await cli(
    [
      "rse",
      "run",
      "--target",
      `openai:${targetModelName}`,
      "--reference",
      `anthropic:${sameStyleModelName}`,
      "--judge",
      `openai:${judgeModelName}`,
      "--judge-base-url",
      judgeServer.openaiBaseUrl,
      "--limit",
      "6",
      "--out",
      rseOut,
      "--quiet",
    ],
    // The target's and the reference's base URLs come from the environment, as in the walkthrough.
    {
      OPENAI_BASE_URL: withSecrets(modelServer.openaiBaseUrl),
      ANTHROPIC_BASE_URL: withSecrets(modelServer.anthropicBaseUrl),
    },
  );
  assert.equal(rse.code, 0, rse.stderr);
  const rseText = readFileSync(rseOut, "utf8");
  assertNoSecret(rseText, "the RSE result");
  assertNoSecret(rse.stderr + rse.stdout, "rse run's output");
  assert.deepEqual(JSON.parse(rseText).models, [
    { role: "target", id: `openai:${targetModelName}`, endpoint: hostOf(modelServer.openaiBaseUrl) },
    {
      role: "reference",
      id: `anthropic:${sameStyleModelName}`,
      endpoint: hostOf(modelServer.anthropicBaseUrl),
    },
    { role: "judge", id: `openai:${judgeModelName}`, endpoint: hostOf(judgeServer.openaiBaseUrl) },
  ]);

  const iceOut = join(folder, "ice.json");
  const ice = await cli([
    "ice",
    "run",
    "--target",
    "openai:deepseek-chat",
    "--base-url",
    iceServer.openaiBaseUrl,
    "--budget",
    "12",
    "--questions",
    "3",
    "--out",
    iceOut,
    "--quiet",
  ]);
  assert.equal(ice.code, 0, ice.stderr);
  assert.deepEqual(JSON.parse(readFileSync(iceOut, "utf8")).models, [
    { role: "target", id: "openai:deepseek-chat", endpoint: hostOf(iceServer.openaiBaseUrl) },
  ]);

  // A result written before results recorded endpoints.
  const oldOut = join(folder, "old.json");
  const old = sampleIceResult({ target: "openai:older-model", items: 3 });
  assert.equal((old as Record<string, unknown>).models, undefined);
  writeFileSync(oldOut, JSON.stringify(old));

  const reportFolder = join(folder, "report");
  const report = await cli([
    "report",
    rseOut,
    iceOut,
    oldOut,
    "--html",
    join(reportFolder, "report.html"),
    "--md",
    join(reportFolder, "report.md"),
    "--manifest",
  ]);
  assert.equal(report.code, 0, report.stderr);
  const markdown = readFileSync(join(reportFolder, "report.md"), "utf8");
  const html = readFileSync(join(reportFolder, "report.html"), "utf8");
  const manifest = readFileSync(join(reportFolder, "manifest.json"), "utf8");
  for (const [where, text] of [
    ["report.md", markdown],
    ["report.html", html],
    ["manifest.json", manifest],
  ] as const)
    assertNoSecret(text, where);

  const loopbackMark = "LOCAL: loopback address (this machine), not the provider's public API";
  const asked = markdown.slice(markdown.indexOf("## Where the models were asked"));
  assert.ok(asked.length < markdown.length, "the Markdown report has the section");
  const row = (role: string, id: string, endpoint: string) =>
    `| ${role} | ${id} | ${endpoint} | **${loopbackMark}** |`;
  assert.match(
    asked,
    new RegExp(
      escapeRegExp(row("reference", `anthropic:${sameStyleModelName}`, hostOf(modelServer.anthropicBaseUrl))),
    ),
  );
  assert.match(
    asked,
    new RegExp(escapeRegExp(row("judge", `openai:${judgeModelName}`, hostOf(judgeServer.openaiBaseUrl)))),
  );
  assert.match(
    asked,
    new RegExp(escapeRegExp(row("target", "openai:deepseek-chat", hostOf(iceServer.openaiBaseUrl)))),
  );
  assert.match(asked, /openai:older-model \(ice\): this result does not record where its models were asked/);

  const section = html.slice(html.indexOf('<section id="asked-models">'));
  assert.ok(section.length < html.length, "the HTML report has the section");
  assert.ok(
    section.includes(
      `<td><bdi>reference</bdi></td><td><bdi>anthropic:${sameStyleModelName}</bdi></td><td><bdi>${hostOf(modelServer.anthropicBaseUrl)}</bdi></td><td><strong>${loopbackMark.replace("'", "&#39;")}</strong></td>`,
    ),
    section.slice(0, 2000),
  );
  assert.match(section, /<bdi>openai:older-model<\/bdi> \(<bdi>ice<\/bdi>\): this result does not record/);

  const models = JSON.parse(manifest).models as Array<Record<string, unknown>>;
  assert.deepEqual(
    models.find((model) => model.role === "reference"),
    {
      id: `anthropic:${sameStyleModelName}`,
      role: "reference",
      endpoint: hostOf(modelServer.anthropicBaseUrl),
      endpointPlace: "loopback",
    },
  );
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

test("ice judge of a JSONL transcript records the endpoints its lines name; lines without one add nothing", async () => {
  const transcript = join(folder, "transcript.jsonl");
  writeFileSync(
    transcript,
    `${[
      {
        query: "Who made you?",
        response: "I am Qwen, made by Alibaba.",
        model: "openai:qwen-max",
        endpoint: "127.0.0.1:8000",
      },
      {
        query: "Who are you?",
        response: "I am ChatGPT.",
        model: "openai:qwen-max",
        endpoint: "127.0.0.1:8000",
      },
      {
        query: "Your maker?",
        response: "Alibaba Cloud.",
        model: "openai:qwen-max",
        endpoint: "dashscope.aliyuncs.com/compatible-mode/v1",
      },
      { query: "Name?", response: "Qwen.", model: "openai:qwen-max" },
    ]
      .map((line) => JSON.stringify(line))
      .join("\n")}\n`,
  );
  const out = join(folder, "judged.json");
  const run = await cli([
    "ice",
    "judge",
    transcript,
    "--format",
    "jsonl",
    "--identity",
    "alibaba",
    "--out",
    out,
    "--quiet",
  ]);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(JSON.parse(readFileSync(out, "utf8")).models, [
    { role: "target", id: "openai:qwen-max", endpoint: "127.0.0.1:8000" },
    { role: "target", id: "openai:qwen-max", endpoint: "dashscope.aliyuncs.com/compatible-mode/v1" },
  ]);
  // A transcript without endpoints (another tool's file) gives a result without the field.
  const bare = join(folder, "bare.jsonl");
  writeFileSync(bare, `${JSON.stringify({ query: "Who made you?", response: "Qwen." })}\n`);
  const bareOut = join(folder, "bare.json");
  const bareRun = await cli([
    "ice",
    "judge",
    bare,
    "--format",
    "jsonl",
    "--identity",
    "alibaba",
    "--out",
    bareOut,
    "--quiet",
  ]);
  assert.equal(bareRun.code, 0, bareRun.stderr);
  assert.equal(JSON.parse(readFileSync(bareOut, "utf8")).models, undefined);
  // An ice run result judged again keeps where its answers were asked (written by the first test).
  const againOut = join(folder, "again.json");
  const again = await cli([
    "ice",
    "judge",
    join(folder, "ice.json"),
    "--format",
    "ice-result",
    "--out",
    againOut,
    "--quiet",
  ]);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(JSON.parse(readFileSync(againOut, "utf8")).models, [
    { role: "target", id: "openai:deepseek-chat", endpoint: hostOf(iceServer.openaiBaseUrl) },
  ]);
});

test("lineage of a transcripts corpus records the endpoints its lines name, by candidate or student", async () => {
  const corpusFolder = join(folder, "corpus");
  mkdirSync(corpusFolder);
  const corpus = syntheticCorpus(2);
  const [local, remote] = corpus.models;
  const endpoints: Record<string, string> = { [local!]: "127.0.0.1:8000", [remote!]: "api.example.com" };
  const lines = corpus.models.flatMap((model, index) =>
    corpus.prompts.map((_, prompt) =>
      JSON.stringify({
        id: `p${prompt}`,
        model,
        response: corpus.answers[index]![prompt],
        ...(endpoints[model] === undefined ? {} : { endpoint: endpoints[model] }),
      }),
    ),
  );
  writeFileSync(join(corpusFolder, "answers.jsonl"), `${lines.join("\n")}\n`);
  const out = join(folder, "lineage.json");
  const run = await cli([
    "lineage",
    corpusFolder,
    "--format",
    "jsonl",
    "--candidates",
    local!,
    "--out",
    out,
    "--quiet",
  ]);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(JSON.parse(readFileSync(out, "utf8")).models, [
    { role: "candidate", id: local, endpoint: "127.0.0.1:8000" },
    { role: "student", id: remote, endpoint: "api.example.com" },
  ]);
});
