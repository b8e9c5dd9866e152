import assert from "node:assert/strict";
import { test } from "node:test";
import { alignAnswers } from "../corpus/aligned-corpus.ts";
import { InputError } from "../errors.ts";
import { parseResult } from "../report/result-schema.ts";
import { runLineage } from "./lineage.ts";
import { popularTeacherCorpus, syntheticCorpus } from "./lineage-synthetic.ts";

test("a student built from a teacher's habits is attributed to it; an independent model gets null", () => {
  const result = runLineage(syntheticCorpus(3), {
    candidates: ["teachera", "teacherb", "teacherc"],
    seed: 5,
    permutations: 500,
  });
  const byModel = Object.fromEntries(
    result.attributions.map((attribution) => [attribution.model, attribution]),
  );
  assert.equal(byModel.copier!.teacher, "teachera");
  assert.ok(byModel.copier!.pValue < 0.05);
  assert.equal(byModel.loner!.teacher, null);
  assert.equal(result.kind, "lineage");
  assert.deepEqual(result.students.sort(), ["copier", "independent1", "independent2", "loner"]);
});

test("unknown candidate names are an input error", () => {
  assert.throws(
    () => runLineage(syntheticCorpus(1), { candidates: ["nobody"] }),
    /not a model in the corpus/,
  );
});

test("a bare name for a provider-prefixed transcript model points to the prefixed name", () => {
  const answers = (text: string) =>
    new Map([
      ["p1", `${text} one`],
      ["p2", `${text} two`],
    ]);
  const corpus = alignAnswers(
    "memory",
    new Map([
      ["openai:teacher", answers("alpha")],
      ["openai:student", answers("beta")],
      ["anthropic:other", answers("gamma")],
    ]),
  );
  const rejects = (name: string, message: RegExp) =>
    assert.throws(
      () => runLineage(corpus, { candidates: [name] }),
      (error: unknown) => error instanceof InputError && message.test(error.message),
      String(message),
    );
  rejects("teacher", /is not a model in the corpus \(models: .*\); did you mean "openai:teacher"\?/);
  rejects(
    "nobody",
    /is not a model in the corpus \(models: anthropic:other, openai:student, openai:teacher\)$/,
  );
});

test("options a library caller gets wrong are input errors, as the CLI's flags are", () => {
  const corpus = syntheticCorpus(1);
  const candidates = ["teachera"];
  const rejects = (options: object, message: RegExp) =>
    assert.throws(
      () => runLineage(corpus, { candidates, ...options }),
      (error: unknown) => error instanceof InputError && message.test(error.message),
      String(message),
    );
  rejects({ alpha: 5 }, /^alpha \(--alpha\) must be between 0 and 1, got 5$/);
  rejects({ alpha: 0 }, /^alpha \(--alpha\) must be between 0 and 1, got 0$/);
  rejects({ alpha: "0.05" }, /^alpha \(--alpha\) must be between 0 and 1, got "0.05"$/);
  rejects({ examples: -1 }, /examples must be a whole number >= 0, got -1/);
  rejects(
    { candidates: "teachera" },
    /^candidates \(--candidates\) must be a list of model names, got "teachera"$/,
  );
  for (const notACorpus of [undefined, {}, { models: ["a"] }])
    assert.throws(
      () => runLineage(notACorpus as never),
      (error: unknown) =>
        error instanceof InputError &&
        /lineage needs an aligned corpus from loadTranscriptsCorpus, loadAlpacaEvalCorpus or alignAnswers/.test(
          error.message,
        ),
    );
  const twice = runLineage(corpus, { candidates: ["teachera", "teachera"] });
  assert.deepEqual(twice.candidates, ["teachera"], "a candidate named twice is one candidate");
});

test("the result carries the similarity matrix and examples the report reads", () => {
  const result = runLineage(syntheticCorpus(3), { candidates: ["teachera", "teacherb", "teacherc"] });
  assert.equal(result.similarity.models.length, 7);
  assert.equal(result.similarity.matrix.length, 7);
  assert.equal(result.similarity.matrix[0]![0], 1);
  const copier = result.attributions.find((attribution) => attribution.model === "copier")!;
  assert.equal(copier.examples.length, 3);
  assert.equal(copier.examples[0]!.candidate, "teachera");
  assert.ok(copier.examples[0]!.studentResponse.includes("teacherahabit"));
  assert.ok(result.examples.length >= 3);
  assert.ok(copier.ranking[0]!.score > copier.ranking[1]!.score);
  assert.ok(copier.pValue < 0.05 && copier.pValue >= 0);
  // The report's schema accepts the result as written to disk.
  assert.equal(parseResult(JSON.parse(JSON.stringify(result)), "test").kind, "lineage");
});

test("with fewer than five models no teacher can be significant, and the result says why", () => {
  const corpus = syntheticCorpus(2);
  const keep = ["copier", "teachera", "teacherb"].map((name) => corpus.models.indexOf(name));
  const small = {
    ...corpus,
    models: keep.map((index) => corpus.models[index]!),
    answers: keep.map((index) => corpus.answers[index]!),
  };
  const result = runLineage(small, { candidates: ["teachera", "teacherb"] });
  assert.equal(result.attributions[0]!.teacher, null);
  assert.match(String(result.method.note), /fewer than 5 models/);
});

test("a model named as candidate and student is an input error only when nothing is left to test", () => {
  const corpus = syntheticCorpus(1);
  assert.throws(() => runLineage(corpus, { candidates: corpus.models }), /leave at least one model out/);
});

test("a model submitted under two names is counted once, as a student's reference and as a candidate", () => {
  const corpus = syntheticCorpus(3);
  const copyOf = (name: string) => corpus.answers[corpus.models.indexOf(name)]!;
  const withCopies = {
    ...corpus,
    models: [...corpus.models, "independent1-again", "independent1-third", "teachera-again"],
    answers: [...corpus.answers, copyOf("independent1"), copyOf("independent1"), copyOf("teachera")],
  };
  const result = runLineage(withCopies, {
    candidates: ["teachera", "teacherb", "teacherc", "teachera-again"],
  });
  assert.deepEqual(result.copies, [
    ["independent1", "independent1-again", "independent1-third"],
    ["teachera", "teachera-again"],
  ]);
  assert.match(String(result.method.note), /independent1 = independent1-again = independent1-third/);
  const copier = result.attributions.find((attribution) => attribution.model === "copier")!;
  assert.equal(copier.teacher, "teachera");
  // One hypothesis for the two names: the copy is not tested (nor Holm-counted) beside the original.
  assert.deepEqual(copier.ranking.map((entry) => entry.candidate).sort(), [
    "teachera",
    "teacherb",
    "teacherc",
  ]);
  assert.deepEqual(copier.family, ["teachera", "teachera-again"]);
  const loner = result.attributions.find((attribution) => attribution.model === "loner")!;
  assert.equal(loner.teacher, null);
  // The copies change nothing for the other models: the same scores and p-values as without them.
  const plain = runLineage(corpus, { candidates: ["teachera", "teacherb", "teacherc"] });
  for (const before of plain.attributions) {
    const after = result.attributions.find((attribution) => attribution.model === before.model)!;
    assert.equal(after.teacher, before.teacher, before.model);
    assert.equal(after.pValue, before.pValue, before.model);
    assert.deepEqual(after.ranking, before.ranking, before.model);
  }
});

test("a popular teacher: its students are found while they are under half of the reference, and independents are never attributed", () => {
  const run = (students: number) => {
    const { corpus, candidates } = popularTeacherCorpus({
      models: 20,
      teachers: 5,
      students,
      prompts: 60,
      share: 0.35,
      seed: 11,
    });
    return runLineage(corpus, { candidates }).attributions;
  };
  const teachersOf = (attributions: ReturnType<typeof run>, kind: string) =>
    attributions.filter((entry) => entry.model.startsWith(kind)).map((entry) => entry.teacher);
  const few = run(4);
  assert.deepEqual(teachersOf(few, "student"), Array(4).fill("teacher0"));
  assert.deepEqual(teachersOf(few, "independent"), Array(11).fill(null));
  // 12 students of 18 reference models: they are the reference now and cannot be told apart. Row centres
  // over the whole corpus were siblings' values, and every independent model came out "attributed" to
  // another candidate; over the candidates, none is.
  const many = run(12);
  assert.deepEqual(teachersOf(many, "independent"), Array(3).fill(null));
});

test("with 2 or 3 candidates the result's note says the row centre is one value or a mean of 2 and asks for more", () => {
  const { corpus } = popularTeacherCorpus({
    models: 8,
    teachers: 4,
    students: 1,
    prompts: 20,
    share: 0.35,
    seed: 2,
  });
  const three = runLineage(corpus, { candidates: ["teacher0", "teacher1", "teacher2"] });
  assert.match(three.method.note ?? "", /with 3 candidates .* give 4 or more candidates/);
  const two = runLineage(corpus, { candidates: ["teacher0", "teacher1"] });
  assert.match(
    two.method.note ?? "",
    /with 2 candidates a model's general closeness is its closeness to the other one, .* attributed to the other; give 4 or more candidates/,
  );
  const four = runLineage(corpus, { candidates: ["teacher0", "teacher1", "teacher2", "teacher3"] });
  assert.doesNotMatch(four.method.note ?? "", /candidates/);
});
