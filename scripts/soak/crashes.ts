/**
 * Soak: `distillscope collect` of a few thousand prompts killed with SIGKILL at 20 seeded random moments
 * and resumed each time. Prints the counts and PASS/FAIL. Usage: node scripts/soak/crashes.ts [prompts] [crashes]
 */
import { crashesSoakProblems, runCrashesSoak } from "./_crashes.ts";
import { thousands } from "./_soak-common.ts";

const prompts = Number(process.argv[2] ?? 4000);
const crashes = Number(process.argv[3] ?? 20);
const result = await runCrashesSoak({ prompts, crashes, seed: 20, concurrency: 8, latencyMs: 8 });
const problems = crashesSoakProblems(result, crashes);
result.crashes.forEach((crash, index) => {
  process.stdout.write(
    `crash ${String(index + 1).padStart(2)}: SIGKILL ${crash.moment.padEnd(19)} answered ${String(crash.answeredThisRun).padStart(4)}, stored ${String(crash.storedAfter).padStart(4)}, in flight ${String(crash.inFlight).padStart(2)}, integrity ${crash.integrity}, lost ${crash.lost}, duplicate rows ${crash.duplicateRows}\n`,
  );
});
const inFlight = result.crashes.reduce((sum, crash) => sum + crash.inFlight, 0);
process.stdout.write(
  `${thousands(prompts)} prompts, concurrency 8, server latency 8 ms; ${result.finishedBeforeKill} runs ended before their kill moment; ${result.seconds.toFixed(1)} s\n` +
    `server answers ${thousands(result.serverAnswers)} for ${thousands(prompts)} prompts: ${inFlight} were in flight at a kill (answered but not yet stored), ${result.reaskedAfterInFlight} of them asked again\n` +
    `final run exit ${result.finalExit}: ${result.lines} lines, ${result.missingLines} missing, ${result.duplicatedLines} duplicated, ${result.wrongLines} wrong; store ${result.finalAnswerRows} answer rows, integrity ${result.finalIntegrity}\n`,
);
process.stdout.write(
  `${result.crashes.length} crashes: ${result.lost} lost, ${result.duplicateRows + result.duplicatedLines} duplicated, ${result.paidTwice} paid twice\n`,
);
for (const problem of problems) process.stdout.write(`problem: ${problem}\n`);
process.stdout.write(`${problems.length === 0 ? "PASS" : "FAIL"}: crashes soak\n`);
if (problems.length > 0) process.exitCode = 1;
