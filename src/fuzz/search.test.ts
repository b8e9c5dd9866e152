import assert from "node:assert/strict";
import { test } from "node:test";
import { seededRandom } from "../metrics/random.ts";
import { mutatorNames } from "./mutator.ts";
import { mctsExplorePolicy, randomSeedPolicy } from "./policy.ts";
import { ruleMutator } from "./rule-mutators.ts";
import { runSearch } from "./search.ts";

const seeds = Array.from({ length: 10 }, (_, index) => ({
  id: `s${index}`,
  text: `Scenario number ${index} begins. You must answer truthfully. Stay in role. Question: {query}`,
}));
const questions = Array.from({ length: 7 }, (_, index) => `question ${index}`);
const mutators = mutatorNames.map(ruleMutator);

test("the budget is never exceeded: the last batch is cut short", async () => {
  let asked = 0;
  const outcome = await runSearch({
    seeds,
    questions,
    policy: mctsExplorePolicy({ random: seededRandom(1) }),
    mutators,
    budget: 30,
    random: seededRandom(1),
    evaluate: async (node, batch) => {
      asked += batch.length;
      assert.ok(node.text.includes("{query}"));
      return batch.map((_, index) => index % 2 === 0);
    },
  });
  assert.equal(asked, 30);
  assert.equal(outcome.queriesUsed, 30);
  assert.deepEqual(
    outcome.steps.map((step) => step.queries),
    [7, 7, 7, 7, 2],
  );
  assert.equal(outcome.steps.at(-1)!.reward, 0.5);
  assert.equal(outcome.helperCalls, 0);
});

test("a zero budget asks nothing; maxIterations stops early", async () => {
  const evaluate = async (_node: unknown, batch: readonly string[]) => batch.map(() => false);
  const none = await runSearch({
    seeds,
    questions,
    policy: randomSeedPolicy(seededRandom(1)),
    mutators,
    budget: 0,
    random: seededRandom(1),
    evaluate,
  });
  assert.equal(none.steps.length, 0);
  const two = await runSearch({
    seeds,
    questions,
    policy: randomSeedPolicy(seededRandom(1)),
    mutators,
    budget: 100,
    maxIterations: 2,
    random: seededRandom(1),
    evaluate,
  });
  assert.equal(two.queriesUsed, 14);
});

test("the same seed replays the same search; trace records node, parent, mutator and reward", async () => {
  const run = () =>
    runSearch({
      seeds,
      questions,
      policy: mctsExplorePolicy({ random: seededRandom(9) }),
      mutators,
      budget: 70,
      random: seededRandom(9),
      evaluate: async (node, batch) => batch.map((_, index) => node.seedId === "s3" || index === 0),
    });
  const first = await run();
  const second = await run();
  assert.deepEqual(first.steps, second.steps);
  assert.deepEqual(
    [...first.tree.nodes.values()].map((node) => node.text),
    [...second.tree.nodes.values()].map((node) => node.text),
  );
  for (const step of first.steps) {
    const node = first.tree.nodes.get(step.nodeId)!;
    assert.equal(node.parentId, step.selectedId);
    assert.equal(node.mutator, step.mutator);
    assert.equal(node.ownReward, step.reward);
  }
});
