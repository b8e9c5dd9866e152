/**
 * Hostile-answer soak: runs the suite (src/testing/hostile-answer-suite.ts) through the embedded claim
 * analyser and through the LLM judge path against the loopback mock provider, and prints
 * "N hostile answers: M held" for each. Exit 1 if any verdict did not hold.
 * Usage: node scripts/soak/hostile-answers.ts
 */
import {
  checkEmbeddedJudge,
  checkLlmJudge,
  type HostileCheckResult,
} from "../../src/testing/hostile-answer-check.ts";

function print(judge: string, result: HostileCheckResult): void {
  process.stdout.write(`${judge}: ${result.total} hostile answers: ${result.held} held\n`);
  for (const failure of result.failures)
    process.stdout.write(`  did not hold: ${failure.id}: ${failure.problem}\n`);
}

const started = performance.now();
const embedded = checkEmbeddedJudge();
print("embedded claim analyser", embedded);
const llm = await checkLlmJudge();
print("LLM judge path (loopback, scripted judge echoing fake tags)", llm);
process.stdout.write(`took ${((performance.now() - started) / 1000).toFixed(2)} s\n`);
process.exit(embedded.failures.length === 0 && llm.failures.length === 0 ? 0 : 1);
