/** Times the all-pairs similarity on the 16-model AlpacaEval corpus (< 5 s) and a synthetic 200-model corpus (< 60 s, < 4 GB). */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadAlpacaEvalCorpus } from "../../src/corpus/alpacaeval.ts";
import { seededRandom } from "../../src/metrics/random.ts";
import { pairwiseSimilarity } from "../../src/similarity/pairwise.ts";

const resultsDirectory = join(
  dirname(fileURLToPath(import.meta.url)),
  "../../../shared/data/alpacaeval/results",
);
if (existsSync(resultsDirectory)) {
  const corpus = loadAlpacaEvalCorpus(resultsDirectory);
  const start = performance.now();
  pairwiseSimilarity(corpus.answers);
  const seconds = (performance.now() - start) / 1000;
  console.log(
    `16-model corpus all-pairs: ${seconds.toFixed(2)} s ${seconds < 5 ? "PASS" : "FAIL"} (limit 5 s)`,
  );
} else console.log("skipped: ../shared/data/alpacaeval/results not found");

const random = seededRandom(7);
const words = Array.from({ length: 3000 }, (_, index) => `w${index.toString(36)}`);
const models = 200;
const prompts = 100;
const answers = Array.from({ length: models }, () =>
  Array.from({ length: prompts }, () =>
    Array.from({ length: 80 }, () => words[Math.floor(random() ** 2 * words.length)]).join(" "),
  ),
);
const start = performance.now();
pairwiseSimilarity(answers);
const seconds = (performance.now() - start) / 1000;
const peakGigabytes = process.resourceUsage().maxRSS / 1024 / 1024;
console.log(
  `synthetic ${models} models x ${prompts} prompts: ${seconds.toFixed(2)} s, peak RSS ${peakGigabytes.toFixed(2)} GB ${seconds < 60 && peakGigabytes < 4 ? "PASS" : "FAIL"}`,
);
