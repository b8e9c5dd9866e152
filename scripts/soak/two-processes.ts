/**
 * Soak: two `distillscope collect` processes writing one store at once (same target with overlapping
 * prompts, then different targets), then all four commands again at once. Prints the counts and
 * PASS/FAIL. Usage: node scripts/soak/two-processes.ts [prompts per process]
 */

import { thousands } from "./_soak-common.ts";
import { runTwoProcessesSoak, twoProcessesProblems } from "./_two-processes.ts";

const prompts = Number(process.argv[2] ?? 3000);
const result = await runTwoProcessesSoak({ prompts, concurrency: 8, latencyMs: 1 });
const problems = twoProcessesProblems(result);
for (const outcome of result.processes)
  process.stdout.write(
    `round ${outcome.round} ${outcome.name.padEnd(34)} exit ${outcome.exit}: ${outcome.lines}/${outcome.prompts} lines, ${outcome.missing} missing, ${outcome.duplicated} duplicated, ${outcome.wrong} wrong, ${outcome.changed} changed\n`,
  );
process.stdout.write(
  `server requests by round: ${result.serverRequestsByRound.join(", ")}; ${result.seconds.toFixed(1)} s\n` +
    `store: integrity ${result.store.integrity}, ${result.store.cacheRows} cache rows for ${result.expectedKeys} (model, prompt) pairs, ${result.store.cacheDangling} dangling, ${result.store.answerRows} answer rows (${result.askedByBoth} prompts asked by both processes, ${result.askedAfterStored} of them after the other had stored the answer), ${result.store.wrongAnswers} wrong\n`,
);
const exits = result.processes.filter((outcome) => outcome.exit === 0).length;
process.stdout.write(
  `two processes on one store (${thousands(prompts)} prompts each): ${exits} of ${result.processes.length} runs exit 0, integrity ${result.store.integrity}, ${result.processes.reduce((sum, outcome) => sum + outcome.duplicated, 0)} duplicated lines, ${result.store.cacheDangling} inconsistent cache rows; ${result.askedByBoth} prompts asked by both, ${result.askedAfterStored} after the answer was stored\n`,
);
for (const problem of problems) process.stdout.write(`problem: ${problem}\n`);
process.stdout.write(`${problems.length === 0 ? "PASS" : "FAIL"}: two processes soak\n`);
if (problems.length > 0) process.exitCode = 1;
