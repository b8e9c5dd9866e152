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

export interface PopularTeacherOptions {
  models: number;
  /** Candidate teachers: the first models, named teacher0, teacher1, ... */
  teachers: number;
  /** Students of teacher0 (named student<i>); every other model is independent (independent<i>). */
  students: number;
  prompts: number;
  /** Share of a student's words drawn from teacher0's answer to the same prompt. */
  share: number;
  seed: number;
}

/**
 * One teacher with many students, as on public leaderboards where most open models learned from one
 * provider's outputs: a Zipf general vocabulary, per-prompt topic words and per-model habit words, with
 * each student drawing `share` of its words from teacher0's answer. Used by the lineage tests and by
 * scripts/validate/lineage-popular-teacher.ts.
 */
export function popularTeacherCorpus(options: PopularTeacherOptions) {
  const { models, teachers, students, prompts, share, seed } = options;
  const random = seededRandom(seed);
  const vocabulary = Array.from({ length: 20000 }, (_, index) => `w${index.toString(36)}`);
  const zipfWord = () => vocabulary[Math.floor(vocabulary.length ** random()) - 1]!;
  const habits = Array.from({ length: models }, (_, model) =>
    Array.from({ length: 30 }, (_, index) => `h${model.toString(36)}y${index}`),
  );
  const answers: string[][] = [];
  for (let model = 0; model < models; model++) {
    const isStudent = model >= teachers && model < teachers + students;
    const row: string[] = [];
    for (let prompt = 0; prompt < prompts; prompt++) {
      const topic = Array.from({ length: 40 }, (_, index) => `t${prompt.toString(36)}x${index}`);
      const length = 80 + Math.floor(random() * 120);
      const teacherWords = isStudent ? answers[0]![prompt]!.split(" ") : [];
      const words: string[] = [];
      for (let index = 0; index < length; index++) {
        if (isStudent && random() < share) {
          words.push(teacherWords[Math.floor(random() * teacherWords.length)]!);
          continue;
        }
        const draw = random();
        if (draw < 0.55) words.push(zipfWord());
        else if (draw < 0.85) words.push(topic[Math.floor(random() * 40)]!);
        else words.push(habits[model]![Math.floor(random() * 30)]!);
      }
      row.push(words.join(" "));
    }
    answers.push(row);
  }
  const names = answers.map((_, model) =>
    model < teachers
      ? `teacher${model}`
      : model < teachers + students
        ? `student${model}`
        : `independent${model}`,
  );
  const byModel = new Map(
    answers.map((row, model) => [names[model]!, new Map(row.map((text, prompt) => [`p${prompt}`, text]))]),
  );
  return { corpus: alignAnswers("synthetic", byModel), candidates: names.slice(0, teachers) };
}
