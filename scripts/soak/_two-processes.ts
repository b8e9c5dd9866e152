/**
 * Two (then four) `distillscope collect` processes writing ONE store at once: round 1 two processes with
 * the same target and overlapping prompt sets, round 2 two processes with different targets (one prompt
 * set shared with round 1, one partly new), round 3 all four commands (or the first few) again at once
 * (everything must come from the store). Every process must exit 0 with one correct line per prompt; the store must pass
 * `PRAGMA integrity_check` with one cache row per (model, prompt), each pointing at a matching answer.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { startMockProviderServer } from "../../src/testing/mock-provider-server.ts";
import { readJsonl, runCli } from "../bench/_collect-common.ts";
import {
  duplicates,
  inspectStore,
  promptKey,
  range,
  type StoreInspection,
  soakAnswer,
  soakPromptText,
  writeSoakPrompts,
} from "./_soak-common.ts";

export interface TwoProcessesOptions {
  /** Prompts per process. */
  prompts: number;
  concurrency?: number;
  latencyMs?: number;
  /** How many of the four commands round 3 runs again at once (default all four). */
  rerunCommands?: number;
}

export interface ProcessOutcome {
  name: string;
  round: number;
  model: string;
  prompts: number;
  exit: number | null;
  stderr: string;
  lines: number;
  missing: number;
  duplicated: number;
  wrong: number;
  /** Responses that differ from the same command's first run (rounds 3+ only). */
  changed: number;
}

export interface TwoProcessesResult {
  processes: ProcessOutcome[];
  store: StoreInspection;
  /** Distinct (model, prompt) pairs asked over all commands. */
  expectedKeys: number;
  serverRequestsByRound: number[];
  /** Answer rows beyond one per key: the same prompt asked by both processes. */
  askedByBoth: number;
  /** Of those, prompts the server was asked again after an answer to them was already in the store. */
  askedAfterStored: number;
  /** Cached (model, prompt) pairs missing from the store. */
  missingFromStore: number;
  seconds: number;
}

interface Command {
  name: string;
  model: string;
  indexes: number[];
}

export async function runTwoProcessesSoak(options: TwoProcessesOptions): Promise<TwoProcessesResult> {
  const started = performance.now();
  const apiKey = "soak-two-key";
  const size = options.prompts;
  const half = Math.floor(size / 2);
  const scratch = mkdtempSync(join(tmpdir(), "distillscope-soak-two-"));
  const home = join(scratch, "home");
  /** When the server answered each (model, prompt), in epoch milliseconds. */
  const answeredAt = new Map<string, number[]>();
  const server = await startMockProviderServer({
    latencyMs: options.latencyMs ?? 1,
    apiKey,
    respond: (input) => {
      const key = promptKey(input.model, input.messages);
      const times = answeredAt.get(key) ?? [];
      times.push(Date.now());
      answeredAt.set(key, times);
      return soakAnswer(input.model, input.messages);
    },
  });
  const commands: Command[] = [
    { name: "A1 same target", model: "model-a", indexes: range(0, size) },
    { name: "A2 same target, half overlapping", model: "model-a", indexes: range(half, half + size) },
    { name: "B1 other target, A1's prompts", model: "model-b", indexes: range(0, size) },
    { name: "A3 same target as A1/A2, half new", model: "model-a", indexes: range(size, 2 * size) },
  ];
  const firstResponses = new Map<string, Map<string, string>>();
  const processes: ProcessOutcome[] = [];
  const serverRequestsByRound: number[] = [];
  const environment = { ...process.env, OPENAI_API_KEY: apiKey };

  const runOne = async (command: Command, round: number): Promise<ProcessOutcome> => {
    const slug = command.name.slice(0, 2);
    const promptFile = join(scratch, `${slug}.jsonl`);
    const out = join(scratch, `${slug}-round${round}.jsonl`);
    writeSoakPrompts(promptFile, command.indexes);
    const args = [
      "--home",
      home,
      "--quiet",
      "collect",
      "--target",
      `openai:${command.model}`,
      "--base-url",
      server.openaiBaseUrl,
      "--prompts",
      promptFile,
      "--out",
      out,
      "--concurrency",
      String(options.concurrency ?? 8),
    ];
    const ended = await runCli(args, environment).done;
    const lines = ended.code === 0 ? readJsonl<{ id: string; response: string }>(out) : [];
    const ids = new Set(lines.map((line) => line.id));
    const wrong = lines.filter(
      (line) =>
        line.response !==
        soakAnswer(command.model, [{ role: "user", content: soakPromptText(Number(line.id.slice(1))) }]),
    ).length;
    let changed = 0;
    const first = firstResponses.get(command.name);
    if (first === undefined)
      firstResponses.set(command.name, new Map(lines.map((line) => [line.id, line.response])));
    else for (const line of lines) if (first.get(line.id) !== line.response) changed++;
    return {
      name: command.name,
      round,
      model: command.model,
      prompts: command.indexes.length,
      exit: ended.code,
      stderr: ended.stderr,
      lines: lines.length,
      missing: command.indexes.filter((index) => !ids.has(`p${index}`)).length,
      duplicated: duplicates(lines.map((line) => line.id)),
      wrong,
      changed,
    };
  };

  const round = async (number: number, chosen: Command[]): Promise<void> => {
    server.resetStats();
    processes.push(...(await Promise.all(chosen.map((command) => runOne(command, number)))));
    serverRequestsByRound.push(server.stats().requests);
  };

  try {
    await round(1, [commands[0]!, commands[1]!]);
    await round(2, [commands[2]!, commands[3]!]);
    await round(3, commands.slice(0, options.rerunCommands ?? commands.length));
    const store = inspectStore(home);
    const expected = new Set<string>();
    for (const command of commands)
      for (const index of command.indexes)
        expected.add(promptKey(command.model, [{ role: "user", content: soakPromptText(index) }]));
    const firstStoredAt = new Map<string, number>();
    const database = new DatabaseSync(join(home, "distillscope.sqlite"), { readOnly: true });
    try {
      // Held in a variable: on Node 22.13 a statement only its iterator references can be collected mid-way.
      const answers = database.prepare("SELECT model, messages, created_at FROM answers");
      for (const row of answers.iterate()) {
        const model = String(row.model).slice(String(row.model).indexOf(":") + 1);
        const key = promptKey(model, JSON.parse(String(row.messages)));
        const at = Date.parse(String(row.created_at));
        firstStoredAt.set(key, Math.min(at, firstStoredAt.get(key) ?? at));
      }
    } finally {
      database.close();
    }
    let askedAfterStored = 0;
    for (const [key, times] of answeredAt) {
      const stored = firstStoredAt.get(key);
      if (stored !== undefined && times.some((time) => time > stored)) askedAfterStored++;
    }
    let missingFromStore = 0;
    for (const key of expected) if (!store.cachedPrompts.has(key)) missingFromStore++;
    return {
      processes,
      store,
      expectedKeys: expected.size,
      serverRequestsByRound,
      askedByBoth: store.answerRows - store.distinctAnswerKeys,
      askedAfterStored,
      missingFromStore,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await server.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Every invariant that does not hold (empty when all hold). */
export function twoProcessesProblems(result: TwoProcessesResult): string[] {
  const problems: string[] = [];
  const check = (holds: boolean, what: string): void => {
    if (!holds) problems.push(what);
  };
  for (const outcome of result.processes) {
    const where = `round ${outcome.round} ${outcome.name}`;
    check(outcome.exit === 0, `${where}: exit ${outcome.exit}: ${outcome.stderr.trim().slice(0, 300)}`);
    check(outcome.lines === outcome.prompts, `${where}: ${outcome.lines} lines for ${outcome.prompts}`);
    check(outcome.missing === 0, `${where}: ${outcome.missing} prompts missing`);
    check(outcome.duplicated === 0, `${where}: ${outcome.duplicated} duplicated lines`);
    check(outcome.wrong === 0, `${where}: ${outcome.wrong} wrong answers`);
    check(outcome.changed === 0, `${where}: ${outcome.changed} answers differ from the first run`);
  }
  check(result.store.integrity === "ok", `integrity_check: ${result.store.integrity}`);
  check(result.store.cacheDangling === 0, `${result.store.cacheDangling} dangling cache rows`);
  check(
    result.store.cacheRows === result.expectedKeys,
    `${result.store.cacheRows} cache rows for ${result.expectedKeys} (model, prompt) pairs`,
  );
  check(
    result.store.distinctAnswerKeys === result.expectedKeys,
    `${result.store.distinctAnswerKeys} distinct answer keys for ${result.expectedKeys} pairs`,
  );
  check(result.missingFromStore === 0, `${result.missingFromStore} pairs missing from the store`);
  check(result.store.wrongAnswers === 0, `${result.store.wrongAnswers} wrong answers in the store`);
  check(
    result.serverRequestsByRound[2] === 0,
    `the re-run asked the server ${result.serverRequestsByRound[2]} times`,
  );
  return problems;
}
