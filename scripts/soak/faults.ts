/**
 * Soak: 20,000 requests through `collect` (engine + store, concurrency 64) against a loopback server that
 * fails about one request in five (500s, 429s with and without Retry-After, hangs, resets, truncated,
 * malformed and oversized bodies). Prints the counts and PASS/FAIL. Usage: node --expose-gc scripts/soak/faults.ts [prompts]
 */
import { faultsSoakProblems, runFaultsSoak } from "./_faults.ts";
import { megabytes, thousands } from "./_soak-common.ts";

if ((globalThis as { gc?: unknown }).gc === undefined) {
  // Without it the flat-memory check cannot run, and a PASS would claim more than was measured.
  process.stdout.write("needs --expose-gc (node scripts/run-all.ts soak passes it)\n");
  process.exit(2);
}
const prompts = Number(process.argv[2] ?? 20_000);
const concurrency = 64;
const timeoutMs = 1500;
const result = await runFaultsSoak({ prompts, concurrency, timeoutMs });
const problems = faultsSoakProblems(result);
const lost = result.lost + result.storeLost;
const duplicated = result.duplicated + (result.store.answerRows - result.store.distinctAnswerKeys);
process.stdout.write(
  `${thousands(prompts)} prompts, concurrency ${concurrency}, --timeout-ms ${timeoutMs}: ${result.seconds.toFixed(1)} s\n` +
    `server: ${result.serverRequests} requests, by status ${JSON.stringify(result.byStatus)}\n` +
    `engine: ${result.retries} retries, ${result.failed} failed; output ${result.lines} lines, ${result.wrong} wrong\n` +
    `store: ${result.store.answerRows} answer rows (${result.store.distinctAnswerKeys} distinct keys), ${result.store.cacheRows} cache rows, ${result.store.cacheDangling} dangling, integrity ${result.store.integrity}\n` +
    `prompts the server answered successfully twice (answer arrived after the timeout): ${result.answeredTwiceByServer}\n` +
    `memory: peak RSS ${megabytes(result.peakRssBytes)} MB, peak heap ${megabytes(result.peakHeapBytes)} MB, heap after GC ${megabytes(result.heapStartBytes)} MB at start -> ${megabytes(result.heapEndBytes)} MB at end (${result.memorySamples} samples)\n`,
);
process.stdout.write(
  `${thousands(prompts)} requests under faults: ${lost} lost, ${duplicated} duplicated, peak RSS ${megabytes(result.peakRssBytes)} MB, requests ${thousands(result.serverRequests)} (<= ${thousands(prompts)} prompts + ${thousands(result.retries)} retries = ${thousands(prompts + result.retries)})\n`,
);
for (const problem of problems) process.stdout.write(`problem: ${problem}\n`);
process.stdout.write(`${problems.length === 0 ? "PASS" : "FAIL"}: faults soak\n`);
if (problems.length > 0) process.exitCode = 1;
