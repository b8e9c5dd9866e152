/**
 * Secrets never reach disk or output (issue 6): runs the CLI (`node src/cli/main.ts`) end to end against
 * the loopback server with a recognisable fake key, succeeding and failing (401, unreachable base URL,
 * bad input, --debug), through `collect`, `transcripts export`, `ice run` and `report`; then scans every
 * byte it left (the store with its -wal/-shm, outputs, HTML/Markdown reports, manifest) and every
 * stdout/stderr for the key (UTF-8, UTF-16LE and base64). Shared by cli.secrets.test.ts and
 * scripts/soak/secrets.ts.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  existsSync,
  lstatSync,
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
import { respondWithKnownMix } from "../ice/run-loopback-fixture.ts";
import { closedPort } from "./closed-port.ts";
import { startMockProviderServer } from "./mock-provider-server.ts";

const cliPath = join(import.meta.dirname, "..", "cli", "main.ts");
/**
 * Node's compile cache for the CLI children, outside the scanned scratch folder and kept between runs:
 * each child then starts from compiled code instead of stripping and compiling every module again
 * (about a third less CPU for the 13 runs).
 */
const compileCache = join(tmpdir(), "distillscope-compile-cache");
const killedName = "collect killed with -9";

export interface CliRun {
  name: string;
  args: string[];
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface SecretHit {
  where: string;
  encoding: string;
}

export interface SecretScan {
  files: number;
  bytes: number;
  outputs: number;
  outputBytes: number;
  hits: SecretHit[];
  /** Names of files scanned, relative to the scratch folder (so a test can check the store was there). */
  fileNames: string[];
}

/** The encodings of the key that count as a leak. */
function needles(secret: string): Array<{ encoding: string; bytes: Buffer }> {
  return [
    { encoding: "utf8", bytes: Buffer.from(secret, "utf8") },
    { encoding: "utf16le", bytes: Buffer.from(secret, "utf16le") },
    { encoding: "base64", bytes: Buffer.from(Buffer.from(secret).toString("base64").slice(0, 24)) },
    // The distinctive middle alone: a truncated or partly masked key still counts.
    { encoding: "utf8 (middle part)", bytes: Buffer.from(secret.slice(8, 28), "utf8") },
  ];
}

/** Every regular file under `folder` (symbolic links are not followed). */
function filesUnder(folder: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) found.push(...filesUnder(path));
    else if (lstatSync(path).isFile()) found.push(path);
  }
  return found;
}

/** Scans every file under `folder` and every text in `outputs` for `secret`. */
export function scanForSecret(
  secret: string,
  folder: string,
  outputs: Array<{ where: string; text: string }>,
): SecretScan {
  const scan: SecretScan = { files: 0, bytes: 0, outputs: 0, outputBytes: 0, hits: [], fileNames: [] };
  const patterns = needles(secret);
  for (const file of filesUnder(folder)) {
    const bytes = readFileSync(file);
    scan.files++;
    scan.bytes += bytes.length;
    scan.fileNames.push(relative(folder, file));
    for (const { encoding, bytes: needle } of patterns)
      if (bytes.includes(needle)) scan.hits.push({ where: relative(folder, file), encoding });
  }
  for (const { where, text } of outputs) {
    const bytes = Buffer.from(text, "utf8");
    scan.outputs++;
    scan.outputBytes += bytes.length;
    for (const { encoding, bytes: needle } of patterns)
      if (bytes.includes(needle)) scan.hits.push({ where, encoding });
  }
  return scan;
}

function runCli(
  name: string,
  args: string[],
  environment: NodeJS.ProcessEnv,
  cwd: string,
  killWhen?: () => boolean,
): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      cwd,
      env: {
        PATH: process.env.PATH,
        CI: "true",
        NODE_COMPILE_CACHE: compileCache,
        ...environment,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    // kill -9 mid-run leaves the store's -wal and -shm files behind, which are scanned too.
    // Killed once the condition holds (polled), not after a fixed time: a loaded machine may take
    // seconds just to start the child.
    const timer =
      killWhen === undefined
        ? undefined
        : setInterval(() => {
            if (killWhen()) child.kill("SIGKILL");
          }, 25);
    child.on("close", (code) => {
      clearInterval(timer);
      resolve({ name, args, code, stdout, stderr });
    });
  });
}

export interface ScenarioResult {
  secret: string;
  runs: CliRun[];
  scan: SecretScan;
  /** The same scan over a planted copy of the key: proves the scanner finds one (must be > 0). */
  controlHits: number;
}

/**
 * Runs the scenario `rounds` times (each round a new home and fresh prompts) and scans everything.
 * The scratch folder is removed afterwards unless `keep` is set.
 */
export async function runSecretScenario(
  options: { rounds?: number; prompts?: number } = {},
): Promise<ScenarioResult> {
  const rounds = options.rounds ?? 1;
  const promptCount = options.prompts ?? 12;
  const secret = `sk-test-SECRET-${randomBytes(12).toString("hex")}`;
  const otherSecret = `sk-test-OTHER-${randomBytes(12).toString("hex")}`;
  const scratch = mkdtempSync(join(tmpdir(), "distillscope-secrets-"));
  const server = await startMockProviderServer({ apiKey: secret, respond: respondWithKnownMix });
  // A server that wants another key: every request with ours is a 401.
  const refusing = await startMockProviderServer({ apiKey: otherSecret, respond: respondWithKnownMix });
  const slow = await startMockProviderServer({
    apiKey: secret,
    respond: respondWithKnownMix,
    latencyMs: 150,
  });
  const deadPort = await closedPort();
  let outputNumber = 0;
  const runs: CliRun[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      const folder = join(scratch, `round-${round}`);
      const home = join(folder, "home");
      const out = join(folder, "out");
      mkdirSync(out, { recursive: true });
      const environment = { OPENAI_API_KEY: secret, DISTILLSCOPE_HOME: home };
      const prompts = join(folder, "prompts.jsonl");
      writeFileSync(
        prompts,
        `${Array.from({ length: promptCount }, (_, index) =>
          JSON.stringify({ id: `q${index}`, prompt: `Round ${round}: who made you? (${index})` }),
        ).join("\n")}\n`,
      );
      const badPrompts = join(folder, "bad-prompts.jsonl");
      writeFileSync(badPrompts, '{"id": "q1", "prompt": "fine"}\n{"id": 2, "prompt": \n');
      const collect = (base: string, file: string, extra: string[] = []) => [
        "collect",
        "--target",
        "openai:deepseek-chat",
        "--base-url",
        base,
        "--prompts",
        file,
        "--out",
        join(out, `collect-${outputNumber++}.jsonl`),
        "--timeout-ms",
        "3000",
        ...extra,
      ];
      const iceRun = (base: string, extra: string[] = []) => [
        "ice",
        "run",
        "--target",
        "openai:deepseek-chat",
        "--base-url",
        base,
        "--budget",
        "20",
        "--questions",
        "4",
        "--seed",
        String(round),
        "--out",
        join(out, `ice-${outputNumber++}.json`),
        ...extra,
      ];
      const iceResult = join(out, "ice-result.json");
      const steps: Array<[string, string[]]> = [
        ["collect", collect(server.openaiBaseUrl, prompts)],
        ["collect again (cache)", collect(server.openaiBaseUrl, prompts, ["--debug"])],
        ["collect 401 --debug", ["--debug", ...collect(refusing.openaiBaseUrl, prompts)]],
        ["collect unreachable --debug", ["--debug", ...collect(`http://127.0.0.1:${deadPort}/v1`, prompts)]],
        ["collect bad input --debug", ["--debug", ...collect(server.openaiBaseUrl, badPrompts)]],
        ["collect missing file", collect(server.openaiBaseUrl, join(folder, "absent.jsonl"))],
        ["transcripts export", ["transcripts", "export", "--out", join(out, "export.jsonl")]],
        ["ice run", [...iceRun(server.openaiBaseUrl).slice(0, -2), "--out", iceResult]],
        ["ice run 401 --debug", ["--debug", ...iceRun(refusing.openaiBaseUrl)]],
        ["ice run unreachable", iceRun(`http://127.0.0.1:${deadPort}/v1`)],
        [
          "report",
          [
            "report",
            iceResult,
            "--html",
            join(out, "report.html"),
            "--md",
            join(out, "report.md"),
            "--manifest",
            "--transcript",
            join(out, "export.jsonl"),
          ],
        ],
        ["report bad input --debug", ["--debug", "report", badPrompts, "--html", join(out, "bad.html")]],
      ];
      const many = join(folder, "many-prompts.jsonl");
      writeFileSync(
        many,
        `${Array.from({ length: 200 }, (_, index) => JSON.stringify({ id: `m${index}`, prompt: `slow ${round} ${index}` })).join("\n")}\n`,
      );
      const killed = [...collect(slow.openaiBaseUrl, many), "--concurrency", "4"];
      const walFile = join(home, "distillscope.sqlite-wal");
      const finished = new Map<string, CliRun>();
      const runStep = async (name: string, killWhen?: () => boolean) => {
        const args = name === killedName ? killed : (steps.find((step) => step[0] === name)?.[1] ?? []);
        finished.set(name, await runCli(name, args, environment, folder, killWhen));
      };
      // Independent runs go side by side (the store takes writers from several processes): the first
      // collect, its cached re-run and the export in that order, beside the ice run and every failing
      // run. Then the report (it reads the ice result and the export, not the store) beside the run
      // killed with -9, which must be the store's last user: a run that closed the store after it
      // would checkpoint and remove the WAL it leaves.
      const inOrder = ["collect", "collect again (cache)", "transcripts export"];
      await Promise.all([
        (async () => {
          for (const name of inOrder) await runStep(name);
        })(),
        ...steps
          .map(([name]) => name)
          .filter((name) => !inOrder.includes(name) && name !== "report")
          .map((name) => runStep(name)),
      ]);
      const requestsBefore = slow.stats().requests;
      const midRun = (): boolean =>
        slow.stats().requests >= requestsBefore + 12 && existsSync(walFile) && statSync(walFile).size > 0;
      await Promise.all([runStep("report"), runStep(killedName, midRun)]);
      for (const name of [...steps.map(([name]) => name), killedName])
        runs.push(finished.get(name) as CliRun);
    }
    const outputs = runs.flatMap((run) => [
      { where: `${run.name}: stdout`, text: run.stdout },
      { where: `${run.name}: stderr`, text: run.stderr },
    ]);
    const scan = scanForSecret(secret, scratch, outputs);
    const control = join(scratch, "control");
    mkdirSync(control);
    writeFileSync(join(control, "planted.txt"), `a line with the key ${secret} in it`);
    const controlHits = scanForSecret(secret, control, [{ where: "planted", text: `Bearer ${secret}` }]).hits
      .length;
    return { secret, runs, scan, controlHits };
  } finally {
    await server.close();
    await refusing.close();
    await slow.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}
