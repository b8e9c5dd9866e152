/** A small synthetic corpus for lineage tests: three teachers, a copier of teachera, independents. */
import { alignAnswers } from "../corpus/aligned-corpus.ts";
import { seededRandom } from "./random.ts";

const topics = Array.from({ length: 40 }, (_, index) => `topic${index}`);

/** Each model has its own habit words; a copier mixes its teacher's habits into its own. */
export function syntheticCorpus(seed: number) {
  const random = seededRandom(seed);
  const pick = (list: string[], count: number) =>
    Array.from({ length: count }, () => list[Math.floor(random() * list.length)]!);
  const habits = (name: string) => Array.from({ length: 30 }, (_, index) => `${name}habit${index}`);
  const names = ["teachera", "teacherb", "teacherc", "independent1", "independent2", "copier", "loner"];
  const ownHabits = Object.fromEntries(names.map((name) => [name, habits(name)]));
  const byModel = new Map<string, Map<string, string>>();
  for (const name of names) {
    const answers = new Map<string, string>();
    topics.forEach((topic, prompt) => {
      const shared = pick([topic, `${topic}x`, `${topic}y`, "common", "words"], 20);
      const style =
        name === "copier"
          ? [...pick(ownHabits.teachera!, 12), ...pick(ownHabits.copier!, 4)]
          : pick(ownHabits[name]!, 16);
      answers.set(`prompt ${prompt}`, [...shared, ...style].join(" "));
    });
    byModel.set(name, answers);
  }
  return alignAnswers("synthetic", byModel);
}
