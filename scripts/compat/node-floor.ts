// biome-ignore-all lint/suspicious/noExplicitAny: result JSON the CLI wrote; every field used is checked
/**
 * The package says it runs on Node >= 22.13 (package.json engines): this runs the built CLI (dist/) under
 * Node 22.13.0 on real work and checks what it writes. Against the test suite's loopback provider server
 * (OpenAI, Anthropic and Gemini wire formats, src/testing/mock-provider-server.ts): `--version`; `collect`
 * and its re-run from the store; two `collect` processes writing one store at once (the store must pass
 * its integrity check with one correct cache entry per prompt); `ice run` (Anthropic wire) and `rse run`
 * (Gemini target, OpenAI references); `lineage` on a generated AlpacaEval-style corpus; `report` with a
 * manifest and `verify` (and verify must refuse a changed file). `ice run`, `rse run` and `lineage` also
 * run under this Node (24) and must give the same figures. No CLI run may print a Node warning. Last,
 * the store's unit tests run under 22.13: they test its fallbacks for what 22.13's node:sqlite lacks.
 * Node 22.13.0 comes from the npm registry into ~/.cache/node22.13 (scripts/compat/_floor-node.ts); when
 * that is impossible (offline) it prints a WARNING and exits 0. dist/ is built first when missing or
 * older than src/. Exit code: 0 all steps passed (or skipped), 1 a step failed (each failure named).
 * Usage: node scripts/compat/node-floor.ts   (or npm run compat)
 */
import { spawn, spawnSync } from "node:child_process";
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { loopbackIdentity, respondWithKnownMix } from "../../src/ice/run-loopback-fixture.ts";
import { syntheticCorpus } from "../../src/metrics/lineage-synthetic.ts";
import type { ChatMessage } from "../../src/models/types.ts";
import {
  otherStyleModelName,
  sameStyleModelName,
  scriptedAnswer,
  targetModelName,
} from "../../src/rse/loopback-fixture.ts";
import { startMockProviderServer } from "../../src/testing/mock-provider-server.ts";
import {
  duplicates,
  inspectStore,
  range,
  soakAnswer,
  soakPromptText,
  writeSoakPrompts,
} from "../soak/_soak-common.ts";
import { floorNode, floorVersion } from "./_floor-node.ts";

const root = join(import.meta.dirname, "..", "..");
const cli = join(root, "dist", "cli", "main.js");
const apiKey = "sk-node-floor-check";
const iceModel = "claude-floor-check";
const collectModel = "collect-floor-check";

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

interface StepOutcome {
  name: string;
  seconds: number;
  failure?: string;
  note?: string;
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** The newest modification time of the product sources (what dist/ is built from). */
function newestSource(folder: string): number {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts"))
      newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** The mock provider's answers: the ICE mix for the ICE target, the RSE script for RSE models, else the soak answer. */
function answerOf(model: string, messages: readonly ChatMessage[]): string {
  if (model === iceModel) return respondWithKnownMix({ messages });
  if ([targetModelName, sameStyleModelName, otherStyleModelName].includes(model))
    return scriptedAnswer(model, messages);
  return soakAnswer(model, messages);
}

const floor = floorNode();
if ("skipped" in floor) {
  process.stdout.write(
    `WARNING: Node ${floorVersion} is not available, so the Node floor check is skipped: ${floor.skipped}\n`,
  );
  process.exit(0);
}
if ("failed" in floor) {
  process.stdout.write(`node floor: FAILED: ${floor.failed}\n`);
  process.exit(1);
}
const floorBinary = floor.binary;

const scratch = mkdtempSync(join(tmpdir(), "distillscope-node-floor-"));
const server = await startMockProviderServer({
  apiKey,
  latencyMs: 2,
  respond: ({ model, messages }) => answerOf(model, messages),
});
const environment: NodeJS.ProcessEnv = {
  ...process.env,
  CI: "true",
  OPENAI_API_KEY: apiKey,
  ANTHROPIC_API_KEY: apiKey,
  ANTHROPIC_BASE_URL: server.anthropicBaseUrl,
  GEMINI_API_KEY: apiKey,
};
// Flags meant for the Node running this script (or unknown to 22.13) stay out of the CLI's processes, and
// so do the caller's endpoints and proxies: every request goes to the loopback server.
for (const name of Object.keys(environment))
  if (/^(NODE_OPTIONS|(OPENAI|GOOGLE|OLLAMA)_BASE_URL|(https?|all|no)_proxy|NODE_USE_ENV_PROXY)$/i.test(name))
    delete environment[name];
environment.DISTILLSCOPE_HOME = join(scratch, "home");
const cliRuns: Array<{ label: string; run: CliRun }> = [];

/** "collect", "ice run", "--version": the command of a CLI argument list, without --home and its value. */
function commandName(args: readonly string[]): string {
  const rest = args[0] === "--home" ? args.slice(2) : args;
  return rest
    .slice(0, 2)
    .filter((word, index) => index === 0 || !word.startsWith("-"))
    .join(" ");
}

/** Runs the built CLI with `binary` (Node 22.13 unless said otherwise); never rejects. */
function runCli(args: readonly string[], binary = floorBinary, timeoutMs = 60_000): Promise<CliRun> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(binary, [cli, ...args], { env: environment, cwd: scratch });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      const run = { code, stdout, stderr, seconds: (performance.now() - started) / 1000 };
      if (binary === floorBinary) cliRuns.push({ label: commandName(args), run });
      resolve(run);
    });
  });
}

function succeeded(run: CliRun, what: string): void {
  check(run.code === 0, `${what} exited ${run.code}: ${run.stderr.trim().split("\n").slice(-3).join(" | ")}`);
}

const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8"));
const readLines = (path: string) =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line));

/** Every line answers its prompt with the server's answer, once per id. */
function checkTranscript(path: string, indexes: readonly number[], model: string): void {
  const lines = readLines(path);
  check(lines.length === indexes.length, `${path}: ${lines.length} lines for ${indexes.length} prompts`);
  check(duplicates(lines.map((line) => String(line.id))) === 0, `${path}: an id written twice`);
  for (const index of indexes) {
    const line = lines.find((entry) => entry.id === `p${index}`);
    const expected = soakAnswer(model, [{ role: "user", content: soakPromptText(index) }]);
    check(line?.response === expected, `${path}: p${index} answered ${JSON.stringify(line?.response)}`);
  }
}

const outcomes: StepOutcome[] = [];
async function step(name: string, work: () => Promise<string | undefined>): Promise<void> {
  const started = performance.now();
  try {
    const note = await work();
    outcomes.push({ name, seconds: (performance.now() - started) / 1000, ...(note ? { note } : {}) });
  } catch (error) {
    const failure = error instanceof Error ? error.message : String(error);
    outcomes.push({ name, seconds: (performance.now() - started) / 1000, failure });
  }
}

/** Runs one command under Node 22.13 and under this Node (two stores); the figures `pick` takes must agree. */
async function sameOnBoth(
  name: string,
  args: (home: string, out: string) => string[],
  pick: (result: any) => unknown,
) {
  const floorOut = join(scratch, `${name}.json`);
  const currentOut = join(scratch, `${name}-node${process.versions.node.split(".")[0]}.json`);
  const [onFloor, onCurrent] = await Promise.all([
    runCli(args(join(scratch, "home"), floorOut)),
    runCli(args(join(scratch, `home-${name}-current`), currentOut), process.execPath),
  ]);
  succeeded(onFloor, `${name} on Node ${floorVersion}`);
  succeeded(onCurrent, `${name} on Node ${process.versions.node}`);
  const [floorFigures, currentFigures] = [pick(readJson(floorOut)), pick(readJson(currentOut))];
  check(
    JSON.stringify(floorFigures) === JSON.stringify(currentFigures),
    `${name}: Node ${floorVersion} gave ${JSON.stringify(floorFigures).slice(0, 300)}, Node ${process.versions.node} gave ${JSON.stringify(currentFigures).slice(0, 300)}`,
  );
  return readJson(floorOut);
}

const started = performance.now();
try {
  await step("dist/ up to date", async () => {
    if (existsSync(cli) && statSync(cli).mtimeMs >= newestSource(join(root, "src"))) return undefined;
    const build = spawnSync(
      process.execPath,
      [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"],
      {
        cwd: root,
        encoding: "utf8",
      },
    );
    check(
      build.status === 0,
      `npm run build failed: ${build.stdout.trim().split("\n").slice(0, 5).join(" | ")}`,
    );
    return "built (missing or older than src/)";
  });

  await step("--version", async () => {
    const run = await runCli(["--version"]);
    succeeded(run, "--version");
    const version = readJson(join(root, "package.json")).version;
    check(
      run.stdout.trim() === version,
      `--version printed ${JSON.stringify(run.stdout.trim())}, package.json says ${version}`,
    );
    return undefined;
  });

  const home = join(scratch, "home");
  const target = `openai:${collectModel}`;
  const collect = (prompts: string, out: string) => [
    "--home",
    home,
    "collect",
    "--target",
    target,
    "--base-url",
    server.openaiBaseUrl,
    "--prompts",
    prompts,
    "--out",
    out,
    "--concurrency",
    "16",
  ];

  await step("collect, then the same command from the store", async () => {
    const indexes = range(0, 40);
    const prompts = join(scratch, "collect.jsonl");
    writeSoakPrompts(prompts, indexes);
    const first = await runCli(collect(prompts, join(scratch, "collect-1.jsonl")));
    succeeded(first, "collect");
    checkTranscript(join(scratch, "collect-1.jsonl"), indexes, collectModel);
    const asked = server.stats().requests;
    const again = await runCli(collect(prompts, join(scratch, "collect-2.jsonl")));
    succeeded(again, "collect again");
    checkTranscript(join(scratch, "collect-2.jsonl"), indexes, collectModel);
    check(
      server.stats().requests === asked,
      `the re-run asked the server ${server.stats().requests - asked} times`,
    );
    check(
      readLines(join(scratch, "collect-2.jsonl")).every((line) => line.cached === true),
      "the re-run's lines are not all cached",
    );
    return `${indexes.length} prompts, re-run asked nothing`;
  });

  await step("two collect processes on one store", async () => {
    const [left, right] = [range(100, 300), range(200, 400)];
    writeSoakPrompts(join(scratch, "left.jsonl"), left);
    writeSoakPrompts(join(scratch, "right.jsonl"), right);
    const before = server.stats().requests;
    const runs = await Promise.all([
      runCli(collect(join(scratch, "left.jsonl"), join(scratch, "left-out.jsonl"))),
      runCli(collect(join(scratch, "right.jsonl"), join(scratch, "right-out.jsonl"))),
    ]);
    for (const [index, run] of runs.entries()) succeeded(run, `collect process ${index + 1}`);
    checkTranscript(join(scratch, "left-out.jsonl"), left, collectModel);
    checkTranscript(join(scratch, "right-out.jsonl"), right, collectModel);
    const store = inspectStore(home, (model, messages) => answerOf(model, messages));
    check(store.integrity === "ok", `integrity_check: ${store.integrity}`);
    check(store.cacheDangling === 0, `${store.cacheDangling} cache rows point at no answer or the wrong one`);
    check(store.wrongAnswers === 0, `${store.wrongAnswers} stored answers are not the server's`);
    check(store.cacheRows === 40 + 300, `${store.cacheRows} cache rows, expected 340`);
    const asked = server.stats().requests - before;
    return `${left.length} + ${right.length} prompts (100 shared), server asked ${asked} times, store ok`;
  });

  await step("ice run (Anthropic wire), same figures on both Nodes", async () => {
    const result = await sameOnBoth(
      "ice",
      (storeHome, out) => [
        "--home",
        storeHome,
        "ice",
        "run",
        "--target",
        `anthropic:${iceModel}`,
        "--identity",
        loopbackIdentity,
        "--budget",
        "40",
        "--questions",
        "5",
        "--seed",
        "3",
        "--out",
        out,
      ],
      (result) => ({
        scores: result.scores,
        verdicts: result.items.map((item: any) => [item.loose, item.strict, item.hard]),
      }),
    );
    check(result.kind === "ice" && result.n === 40, `ice: kind ${result.kind}, n ${result.n}`);
    return `n ${result.n}, loose ${result.scores.loose}, strict ${result.scores.strict}`;
  });

  await step("rse run (Gemini target, OpenAI references), same figures on both Nodes", async () => {
    const result = await sameOnBoth(
      "rse",
      (storeHome, out) => [
        "--home",
        storeHome,
        "rse",
        "run",
        "--target",
        `google:${targetModelName}`,
        "--base-url",
        server.googleBaseUrl,
        "--reference",
        `openai:${sameStyleModelName}`,
        "--reference",
        `openai:${otherStyleModelName}`,
        "--reference-base-url",
        server.openaiBaseUrl,
        "--prompts",
        "default",
        "--limit",
        "12",
        "--seed",
        "1",
        "--out",
        out,
      ],
      (result) => ({ scores: result.scores, byReference: result.byReference }),
    );
    check(result.kind === "rse", `rse: kind ${result.kind}`);
    const overall = (reference: string) => result.byReference[`openai:${reference}`]?.scores?.overall;
    check(
      overall(sameStyleModelName) > overall(otherStyleModelName),
      `rse: the same-style reference is not nearer (${overall(sameStyleModelName)} vs ${overall(otherStyleModelName)})`,
    );
    return `overall ${result.scores.overall}`;
  });

  await step("lineage (generated corpus), same figures on both Nodes", async () => {
    const corpus = syntheticCorpus(4);
    const folder = join(scratch, "corpus");
    corpus.models.forEach((model, index) => {
      mkdirSync(join(folder, model), { recursive: true });
      const rows = corpus.prompts.map((instruction, prompt) => ({
        instruction,
        output: corpus.answers[index]![prompt]!,
        generator: model,
      }));
      writeFileSync(join(folder, model, "model_outputs.json"), JSON.stringify(rows));
    });
    const result = await sameOnBoth(
      "lineage",
      (storeHome, out) => [
        "--home",
        storeHome,
        "lineage",
        folder,
        "--format",
        "alpacaeval",
        "--candidates",
        "teachera,teacherb,teacherc",
        "--out",
        out,
      ],
      (result) => result.attributions,
    );
    const copier = result.attributions.find((entry: { model: string }) => entry.model === "copier");
    check(copier?.teacher === "teachera", `lineage: copier attributed to ${copier?.teacher}`);
    return `${corpus.models.length} models, copier -> teachera (p ${copier.pValue})`;
  });

  const reportFolder = join(scratch, "report");
  await step("report (HTML, Markdown, manifest)", async () => {
    const results = ["ice", "rse", "lineage"].map((name) => join(scratch, `${name}.json`));
    const run = await runCli([
      "report",
      ...results,
      "--html",
      join(reportFolder, "report.html"),
      "--md",
      join(reportFolder, "report.md"),
      "--manifest",
    ]);
    succeeded(run, "report");
    for (const file of ["report.html", "report.md", "manifest.json"])
      check(existsSync(join(reportFolder, file)), `report: no ${file}`);
    return undefined;
  });

  await step("verify, and verify refusing a changed file", async () => {
    const run = await runCli(["verify", reportFolder]);
    succeeded(run, "verify");
    appendFileSync(join(reportFolder, "report.md"), "\nchanged after the report was written\n");
    const tampered = await runCli(["verify", reportFolder]);
    check(tampered.code !== 0, "verify accepted a changed report.md");
    check(/report\.md/.test(tampered.stdout + tampered.stderr), "verify did not name the changed report.md");
    return `changed file: exit ${tampered.code}`;
  });

  await step(
    `the store's unit tests on ${floorVersion} (the fallbacks for what its node:sqlite lacks)`,
    async () => {
      // The tests of those fallbacks (sqlite-connection.test.ts) and of the store that uses them.
      const tests = ["sqlite-connection.test.ts", "store.test.ts"].map((name) => join("src", "store", name));
      const run = await new Promise<{ code: number | null; output: string }>((resolve) => {
        const child = spawn(floorBinary, ["--test", "--test-reporter=dot", ...tests], {
          cwd: root,
          // The tests' child processes run .ts files too: the flag goes to them through NODE_OPTIONS.
          env: {
            ...environment,
            NODE_OPTIONS: "--experimental-strip-types --disable-warning=ExperimentalWarning",
          },
        });
        let output = "";
        child.stdout.on("data", (chunk: Buffer) => {
          output += chunk.toString();
        });
        child.stderr.on("data", (chunk: Buffer) => {
          output += chunk.toString();
        });
        child.on("close", (code) => resolve({ code, output }));
      });
      const failedTests = [...run.output.matchAll(/^\s*✖ (.+)$/gm)].map((match) => match[1]);
      check(
        run.code === 0,
        `${failedTests.length} failed: ${failedTests.slice(0, 3).join(" | ") || run.output.trim().split("\n").slice(-3).join(" | ")}`,
      );
      return `${tests.length} files`;
    },
  );

  await step(`no Node warning in any CLI output on ${floorVersion}`, async () => {
    const warned = cliRuns.filter(({ run }) => /Warning:/.test(run.stderr));
    check(
      warned.length === 0,
      `${warned.map(({ label }) => label).join(", ")} printed: ${warned[0]?.run.stderr.match(/.*Warning:.*/)?.[0]}`,
    );
    return `${cliRuns.length} runs checked`;
  });
} finally {
  await server.close();
  rmSync(scratch, { recursive: true, force: true });
}

const total = (performance.now() - started) / 1000;
process.stdout.write(
  `Node floor check: distillscope ${relative(root, cli)} under Node ${floorVersion} (${floorBinary})\n`,
);
for (const outcome of outcomes)
  process.stdout.write(
    `  ${outcome.failure === undefined ? "ok  " : "FAIL"} ${outcome.seconds.toFixed(1).padStart(5)} s  ${outcome.name}${outcome.failure === undefined ? (outcome.note ? `: ${outcome.note}` : "") : `: ${outcome.failure}`}\n`,
  );
const failed = outcomes.filter((outcome) => outcome.failure !== undefined);
process.stdout.write(
  `${failed.length === 0 ? "PASS" : `FAIL (${failed.map((outcome) => outcome.name).join("; ")})`}: ${outcomes.length - failed.length} of ${outcomes.length} steps ok in ${total.toFixed(1)} s\n`,
);
process.exit(failed.length === 0 ? 0 : 1);
