/**
 * How lineage behaves when one teacher has many students (the general case on public leaderboards, where
 * most open models learned from GPT outputs). Synthetic corpora of 30 models x 200 prompts: 5 candidate
 * teachers, K students of teacher 0 that take a share f of their words from its answer to the same prompt,
 * and independent models for the rest. For each K and f, over 4 seeds, prints how many students are
 * attributed to their teacher and how many independent models are attributed to anyone.
 *
 * The between-model null uses the median and MAD of the other models' closeness to the candidate, so it
 * holds while the students are fewer than half of that reference (here, K <= 12 of 28); past that the
 * students are the reference and stop being outliers. The script checks both sides of that claim:
 * - no independent model is attributed more often than alpha allows (at most 5% over all runs);
 * - with K <= 12 and f >= 0.35, at least 90% of the students are attributed to their teacher;
 * and it reports, without a pass mark, what happens past half.
 * Usage: node scripts/validate/lineage-popular-teacher.ts
 */
import { runLineage } from "../../src/metrics/lineage.ts";
import { popularTeacherCorpus } from "../../src/metrics/lineage-synthetic.ts";

const models = 30;
const teachers = 5;
const prompts = 200;
const seeds = [1, 2, 3, 4];

let falseAttributions = 0;
let independentsTested = 0;
let studentsMissed = false;
console.log(
  `${models} models (${teachers} candidate teachers), ${prompts} prompts, seeds ${seeds.join(",")}; students of teacher0 take a share f of their words from its answer\n`,
);
console.log("students K | share f | students attributed to teacher0 | independents attributed to anyone");
for (const students of [1, 3, 6, 12, 16, 20]) {
  for (const share of [0.2, 0.35, 0.5]) {
    let found = 0;
    let falsePositives = 0;
    let independents = 0;
    for (const seed of seeds) {
      const { corpus: aligned, candidates } = popularTeacherCorpus({
        models,
        teachers,
        students,
        prompts,
        share,
        seed: seed * 1000 + students * 10 + share * 100,
      });
      const result = runLineage(aligned, { candidates });
      for (const attribution of result.attributions) {
        if (attribution.model.startsWith("student")) found += attribution.teacher === "teacher0" ? 1 : 0;
        else {
          independents++;
          if (attribution.teacher !== null) falsePositives++;
        }
      }
    }
    falseAttributions += falsePositives;
    independentsTested += independents;
    const foundShare = found / (students * seeds.length);
    const checked = students <= 12 && share >= 0.35;
    if (checked && foundShare < 0.9) studentsMissed = true;
    console.log(
      `${String(students).padStart(10)} | ${share.toFixed(2).padStart(7)} | ${`${found} of ${students * seeds.length} (${(100 * foundShare).toFixed(0)}%)`.padStart(31)}${checked ? (foundShare >= 0.9 ? " ok" : " FAIL") : "   "} | ${falsePositives} of ${independents}`,
    );
  }
}
const falseRate = falseAttributions / independentsTested;
console.log(
  `\nindependent models attributed to a teacher: ${falseAttributions} of ${independentsTested} (${(100 * falseRate).toFixed(1)}%; limit 5%) ${falseRate <= 0.05 ? "PASS" : "FAIL"}`,
);
console.log(
  `students found with K <= 12 of ${models - 2} reference models and f >= 0.35: ${studentsMissed ? "FAIL (below 90% somewhere above)" : "PASS (>= 90% each)"}`,
);
process.exitCode = studentsMissed || falseRate > 0.05 ? 1 : 0;
