/**
 * The crashes soak: `distillscope collect` in a child process is killed with SIGKILL at seeded random
 * moments (after a random number of answers - so while answers are being written -, a random time after
 * its first request, or during start-up) and started again each time; then one last run to the end.
 * After every kill: the store opens, `PRAGMA integrity_check` is ok, no stored answer is missing, no
 * duplicate rows, and no prompt already stored is asked again (server hits are counted per prompt).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seededRandom } from "../../src/metrics/random.ts";
import { startMockProviderServer } from "../../src/testing/mock-provider-server.ts";
import { readJsonl, runCli } from "../bench/_collect-common.ts";
import {
  duplicates,
  inspectStore,
  promptKey,
  range,
  soakAnswer,
  soakPromptText,
  writeSoakPrompts,
} from "./_soak-common.ts";

export interface CrashesSoakOptions {
  prompts: number;
  crashes: number;
  seed?: number;
  concurrency?: number;
  /** Server latency per answer: small, so that the store is written all the time. */
  latencyMs?: number;
}

export type KillMoment = "after answers" | "after first request" | "during start-up";

export interface CrashRecord {
  moment: KillMoment;
  /** Answers the server sent in this run before the kill. */
  answeredThisRun: number;
  storedAfter: number;
  /** Answers the server sent that the store did not hold after the kill (in flight). */
  inFlight: number;
  integrity: string;
  duplicateRows: number;
  lost: number;
  wrongInStore: number;
  cacheDangling: number;
}

export interface CrashesSoakResult {
  prompts: number;
  crashes: CrashRecord[];
  /** Runs that ended by themselves before their planned kill (not counted as crashes). */
  finishedBeforeKill: number;
  /** Runs that ended by themselves with a non-zero exit code: the first line of their error. */
  unexpectedExits: string[];
  lost: number;
  duplicateRows: number;
  /** Prompts asked again after their answer was already in the store. */
  paidTwice: number;
  /** Prompts asked again because their answer was in flight at a kill (allowed). */
  reaskedAfterInFlight: number;
  serverAnswers: number;
  finalExit: number | null;
  finalStderr: string;
  lines: number;
  duplicatedLines: number;
  missingLines: number;
  wrongLines: number;
  finalIntegrity: string;
  finalAnswerRows: number;
  seconds: number;
}

export async function runCrashesSoak(options: CrashesSoakOptions): Promise<CrashesSoakResult> {
  const started = performance.now();
  const random = seededRandom(options.seed ?? 20);
  const apiKey = "soak-crash-key";
  const modelName = "crash-model";
  const scratch = mkdtempSync(join(tmpdir(), "distillscope-soak-crashes-"));
  const home = join(scratch, "home");
  const promptFile = join(scratch, "prompts.jsonl");
  const out = join(scratch, "out.jsonl");
  writeSoakPrompts(promptFile, range(0, options.prompts));

  /** Called by the server for every answer it sends; set per run to plan the kill. */
  let onAnswer: () => void = () => {};
  const server = await startMockProviderServer({
    latencyMs: options.latencyMs ?? 2,
    apiKey,
    respond: (input) => {
      onAnswer();
      return soakAnswer(input.model, input.messages);
    },
  });
  const args = [
    "--home",
    home,
    "--quiet",
    "collect",
    "--target",
    `openai:${modelName}`,
    "--base-url",
    server.openaiBaseUrl,
    "--prompts",
    promptFile,
    "--out",
    out,
    "--concurrency",
    String(options.concurrency ?? 8),
  ];
  const environment = { ...process.env, OPENAI_API_KEY: apiKey };
  const allPrompts = range(0, options.prompts).map((index) =>
    promptKey(modelName, [{ role: "user", content: soakPromptText(index) }]),
  );

  const crashes: CrashRecord[] = [];
  let finishedBeforeKill = 0;
  const unexpectedExits: string[] = [];
  let stored = new Set<string>();
  let hitsBefore = new Map<string, number>();
  let paidTwice = 0;
  let reaskedAfterInFlight = 0;
  let totalLost = 0;
  let totalDuplicateRows = 0;
  const inFlightEver = new Set<string>();

  /** Compares the server's per-prompt hits with the previous snapshot; counts re-asks of stored answers. */
  const accountHits = (): { hits: Map<string, number>; answeredThisRun: number } => {
    const hits = server.stats().successfulByPrompt;
    let answeredThisRun = 0;
    for (const [prompt, count] of hits) {
      const before = hitsBefore.get(prompt) ?? 0;
      if (count <= before) continue;
      answeredThisRun += count - before;
      if (stored.has(prompt)) paidTwice++;
      else if (before > 0 && inFlightEver.has(prompt)) reaskedAfterInFlight++;
    }
    return { hits, answeredThisRun };
  };

  try {
    let attempts = 0;
    while (crashes.length < options.crashes && attempts < options.crashes * 5) {
      attempts++;
      const crashesLeft = options.crashes - crashes.length;
      const remaining = options.prompts - stored.size;
      const draw = random();
      // With (almost) everything stored a run would end before any answer-based kill: kill it starting up.
      const moment: KillMoment =
        remaining < 2
          ? "during start-up"
          : draw < 0.6
            ? "after answers"
            : draw < 0.9
              ? "after first request"
              : "during start-up";
      const run = runCli(args, environment);
      const kill = (): void => {
        onAnswer = () => {};
        run.child.kill("SIGKILL");
      };
      let answersThisRun = 0;
      let killTimer: NodeJS.Timeout | undefined;
      if (moment === "after answers") {
        const spread = Math.max(1, (2 * remaining) / (crashesLeft + 1));
        const target = Math.min(remaining - 1, 1 + Math.floor(random() * spread));
        onAnswer = () => {
          answersThisRun++;
          if (answersThisRun >= target) kill();
        };
      } else if (moment === "after first request") {
        const delayMs = Math.floor(random() * 400);
        onAnswer = () => {
          onAnswer = () => {};
          killTimer = setTimeout(kill, delayMs);
        };
      } else {
        // Node starts in a few hundred ms; a later kill would often find the run already finished.
        killTimer = setTimeout(kill, 20 + Math.floor(random() * 300));
      }
      const ended = await run.done;
      // A run that ended first must not be "killed" later, when the next run is going.
      if (killTimer !== undefined) clearTimeout(killTimer);
      onAnswer = () => {};
      if (ended.signal !== "SIGKILL") {
        // The run ended by itself before its kill moment: its answers count, but it is not a crash.
        finishedBeforeKill++;
        if (ended.code !== 0)
          unexpectedExits.push(`exit ${ended.code}: ${ended.stderr.trim().split("\n")[0] ?? ""}`);
      }
      // Let answers still on the server's latency timers go out (to a dead socket) before counting.
      await new Promise((resolve) => setTimeout(resolve, 30));
      const { hits, answeredThisRun } = accountHits();
      const inspection = inspectStore(home);
      const now = inspection.cachedPrompts;
      let lost = 0;
      for (const prompt of stored) if (!now.has(prompt)) lost++;
      let inFlight = 0;
      for (const [prompt, count] of hits)
        if (count > (hitsBefore.get(prompt) ?? 0) && !now.has(prompt)) {
          inFlight++;
          inFlightEver.add(prompt);
        }
      const duplicateRows = inspection.answerRows - inspection.distinctAnswerKeys;
      totalLost += lost;
      totalDuplicateRows += duplicateRows;
      if (ended.signal === "SIGKILL")
        crashes.push({
          moment,
          answeredThisRun,
          storedAfter: now.size,
          inFlight,
          integrity: inspection.integrity,
          duplicateRows,
          lost,
          wrongInStore: inspection.wrongAnswers,
          cacheDangling: inspection.cacheDangling,
        });
      stored = now;
      hitsBefore = hits;
      // A run that ended by itself may have stored everything: the next ones are killed during start-up
      // (the store is opened and read then), so the soak still gets its kills; `attempts` bounds the loop.
    }

    const final = await runCli(args, environment).done;
    accountHits();
    const inspection = inspectStore(home);
    for (const prompt of stored) if (!inspection.cachedPrompts.has(prompt)) totalLost++;
    totalDuplicateRows += inspection.answerRows - inspection.distinctAnswerKeys;
    const lines = final.code === 0 ? readJsonl<{ id: string; response: string; messages: never }>(out) : [];
    const ids = new Set(lines.map((line) => line.id));
    const wrongLines = lines.filter(
      (line) =>
        line.response !==
        soakAnswer(modelName, [{ role: "user", content: soakPromptText(Number(line.id.slice(1))) }]),
    ).length;
    let missingLines = 0;
    for (let index = 0; index < options.prompts; index++) if (!ids.has(`p${index}`)) missingLines++;
    let serverAnswers = 0;
    for (const prompt of allPrompts) serverAnswers += server.stats().successfulByPrompt.get(prompt) ?? 0;
    return {
      prompts: options.prompts,
      crashes,
      finishedBeforeKill,
      unexpectedExits,
      lost: totalLost,
      duplicateRows: totalDuplicateRows,
      paidTwice,
      reaskedAfterInFlight,
      serverAnswers,
      finalExit: final.code,
      finalStderr: final.stderr,
      lines: lines.length,
      duplicatedLines: duplicates(lines.map((line) => line.id)),
      missingLines,
      wrongLines,
      finalIntegrity: inspection.integrity,
      finalAnswerRows: inspection.answerRows,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await server.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Every invariant of the crashes soak that does not hold (empty when all hold). */
export function crashesSoakProblems(result: CrashesSoakResult, crashesWanted: number): string[] {
  const problems: string[] = [];
  const check = (holds: boolean, what: string): void => {
    if (!holds) problems.push(what);
  };
  check(result.crashes.length === crashesWanted, `${result.crashes.length} of ${crashesWanted} crashes`);
  result.crashes.forEach((crash, index) => {
    check(crash.integrity === "ok", `crash ${index + 1}: integrity_check ${crash.integrity}`);
    check(crash.wrongInStore === 0, `crash ${index + 1}: ${crash.wrongInStore} wrong answers stored`);
    check(crash.cacheDangling === 0, `crash ${index + 1}: ${crash.cacheDangling} dangling cache rows`);
  });
  for (const exit of result.unexpectedExits) problems.push(`a run ended by itself with ${exit}`);
  check(result.lost === 0, `${result.lost} stored answers lost`);
  check(result.duplicateRows === 0, `${result.duplicateRows} duplicate answer rows`);
  check(result.paidTwice === 0, `${result.paidTwice} stored prompts asked again`);
  check(result.finalExit === 0, `final run exit ${result.finalExit}: ${result.finalStderr.trim()}`);
  check(result.lines === result.prompts, `${result.lines} lines for ${result.prompts} prompts`);
  check(result.missingLines === 0, `${result.missingLines} prompts missing from the output`);
  check(result.duplicatedLines === 0, `${result.duplicatedLines} duplicated lines`);
  check(result.wrongLines === 0, `${result.wrongLines} wrong lines`);
  check(result.finalIntegrity === "ok", `final integrity_check ${result.finalIntegrity}`);
  check(result.finalAnswerRows === result.prompts, `${result.finalAnswerRows} answer rows at the end`);
  return problems;
}
