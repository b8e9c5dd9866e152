import assert from "node:assert/strict";
import { test } from "node:test";
import { alignAnswers } from "../corpus/aligned-corpus.ts";
import { InputError } from "../errors.ts";
import { parseResult } from "../report/result-schema.ts";
import { checkLineageOptions, runLineage } from "./lineage.ts";
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
    /not a model in the corpus \([^)]*\)$/,
  );
  // A shortened or differently cased name is pointed to the models that contain it.
  assert.throws(
    () => runLineage(syntheticCorpus(1), { candidates: ["TeacherA"] }),
    /not a model in the corpus \(.*\); did you mean "teachera"\?$/,
  );
  assert.throws(
    () => runLineage(syntheticCorpus(1), { candidates: ["independent"] }),
    /; did you mean "independent1" or "independent2"\?$/,
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
        /^runLineage needs an aligned corpus from loadTranscriptsCorpus, loadAlpacaEvalCorpus or alignAnswers/.test(
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

test("with every model a candidate, a teacher's family never lists the student itself", () => {
  // copier and teachera are each other's closest: a candidate family of two, whose only other member
  // for the student copier is its own teacher, so no family is shown.
  const result = runLineage(syntheticCorpus(1));
  assert.deepEqual(result.candidateFamilies, [["copier", "teachera"]]);
  const copier = result.attributions.find((attribution) => attribution.model === "copier")!;
  assert.equal(copier.teacher, "teachera");
  assert.equal(copier.family, undefined);
  for (const attribution of result.attributions)
    assert.ok(!attribution.family?.includes(attribution.model), attribution.model);
});

test("checkLineageOptions refuses bad options and a hand-built corpus of the wrong shape before any work", () => {
  const corpus = syntheticCorpus(1);
  const rejects = (input: unknown, options: object, message: string) =>
    assert.throws(
      () => checkLineageOptions(input as typeof corpus, options),
      (error: unknown) => error instanceof InputError && error.message === message,
      message,
    );
  rejects(corpus, { alpha: Number.NaN }, "alpha (--alpha) must be between 0 and 1, got NaN");
  rejects(
    corpus,
    { examples: Number.POSITIVE_INFINITY },
    "examples must be a whole number >= 0, got Infinity",
  );
  const needs =
    "lineage needs an aligned corpus from loadTranscriptsCorpus, loadAlpacaEvalCorpus or alignAnswers";
  rejects(
    { ...corpus, answers: corpus.answers.slice(0, 3) },
    {},
    `${needs}: it has 7 models but 3 rows of answers`,
  );
  rejects(
    { ...corpus, answers: corpus.answers.map((answers) => answers.slice(0, 5)) },
    {},
    `${needs}: the answers of model "${corpus.models[0]}" must be 40 strings, one per prompt`,
  );
  assert.throws(
    () => runLineage({ ...corpus, answers: corpus.answers.slice(0, 3) }),
    (error: unknown) => error instanceof InputError,
    "runLineage checks the same",
  );
  const checked = checkLineageOptions(corpus, { candidates: ["teachera", "teacherb"] });
  assert.deepEqual(checked.names, ["teachera", "teacherb"]);
  assert.equal(checked.students.length, 5);
});

test("a candidate left out of the corpus for giving only empty answers is named as such", () => {
  const answers = (text: string) =>
    new Map([1, 2, 3].map((index) => [`p${index}`, text && `${text} ${index}`]));
  const corpus = alignAnswers(
    "memory",
    new Map([
      ["a", answers("alpha")],
      ["b", answers("beta")],
      ["failed", answers("")],
    ]),
  );
  assert.throws(
    () => runLineage(corpus, { candidates: ["failed"] }),
    (error: unknown) =>
      error instanceof InputError &&
      error.message ===
        'candidates (--candidates): "failed" gave only empty answers and was left out of the corpus; fix its answers or leave it out of the candidates',
  );
});

test("when no test can be made (fewer than 5 models) the ranking still puts the most similar candidate first", () => {
  const corpus = syntheticCorpus(2);
  const keep = ["copier", "independent1", "teacherb", "teachera"].map((name) => corpus.models.indexOf(name));
  const small = {
    ...corpus,
    models: keep.map((index) => corpus.models[index]!),
    answers: keep.map((index) => corpus.answers[index]!),
  };
  const copier = runLineage(small, { candidates: ["independent1", "teacherb", "teachera"] }).attributions[0]!;
  assert.equal(copier.model, "copier");
  assert.ok(copier.ranking.every((entry) => entry.score === 0 && Number.isNaN(entry.excess)));
  // Given in the order independent1, teacherb, teachera; teachera is the copier's teacher.
  assert.equal(copier.ranking[0]!.candidate, "teachera");
  const similarities = copier.ranking.map((entry) => entry.rawSimilarity);
  assert.deepEqual(
    similarities,
    [...similarities].sort((left, right) => right - left),
  );
});
