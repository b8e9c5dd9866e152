/**
 * Secrets soak (issue 6): the CLI scenario of cli.secrets.test.ts repeated over several rounds (each a
 * new store: collect, cache hits, 401, unreachable, bad input, --debug, transcripts export, ice run,
 * report with manifest, a run killed with -9 leaving the WAL), then every file and output scanned for
 * the fake key. Prints files/bytes scanned and hits; exit 1 on any hit.
 * Usage: node scripts/soak/secrets.ts [rounds=5]
 */
import { runSecretScenario } from "../../src/testing/secret-scenario.ts";

const rounds = Number(process.argv[2] ?? 5);
const started = Date.now();
const { runs, scan, controlHits } = await runSecretScenario({ rounds, prompts: 40 });
const failedAsExpected = runs.filter((run) => run.code !== 0).length;
console.log(
  `${runs.length} CLI runs in ${rounds} rounds (${failedAsExpected} failing or killed on purpose), ${((Date.now() - started) / 1000).toFixed(0)} s`,
);
console.log(
  `scanned ${scan.files} files (${scan.bytes} bytes, store and WAL included) and ${scan.outputs} stdout/stderr streams (${scan.outputBytes} bytes): ${scan.hits.length} hits of the key`,
);
console.log(`control: a planted key is found ${controlHits} times by the same scan`);
for (const hit of scan.hits) console.log(`  HIT ${hit.where} (${hit.encoding})`);
process.exit(scan.hits.length === 0 && controlHits > 0 ? 0 : 1);
