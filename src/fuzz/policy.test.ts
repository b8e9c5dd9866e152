import assert from "node:assert/strict";
import { test } from "node:test";
import { seededRandom } from "../metrics/random.ts";
import { explorationScore, mctsExplorePolicy, randomSeedPolicy, type SelectionPolicy } from "./policy.ts";
import { FuzzTree } from "./tree.ts";

const seeds = Array.from({ length: 40 }, (_, index) => ({ id: `s${index}`, text: `seed ${index} {query}` }));

/** Plays `rounds` selections, rewarding each new child with `rewardFor(its seed)`. */
function play(policy: SelectionPolicy, rounds: number, rewardFor: (seedId: string) => number): FuzzTree {
  const tree = new FuzzTree(seeds);
  for (let round = 0; round < rounds; round++) {
    const selected = policy.select(tree);
    const child = tree.addChild(selected, `${selected.text} +${round}`, "rephrase");
    policy.update(tree, selected, child, rewardFor(child.seedId));
  }
  return tree;
}

test("an unvisited node's bonus is bounded (no +0.01 jackpot)", () => {
  const tree = new FuzzTree(seeds.slice(0, 2));
  const [unvisited, visited] = tree.seeds;
  visited!.visits = 1;
  visited!.rewardSum = 0.4;
  // Step 2 of the original formula gave ~5.9 to an unvisited seed; ours stays within the reward scale.
  assert.ok(explorationScore(unvisited!, 2, 0.5) < 1);
  assert.ok(explorationScore(visited!, 2, 0.5) > explorationScore(unvisited!, 2, 0.5));
});

test("MCTS-Explore deepens a branch whose children are rewarded", () => {
  const policy = mctsExplorePolicy({ random: seededRandom(1) });
  let lucky: string | undefined;
  const tree = play(policy, 30, (seedId) => {
    lucky ??= seedId;
    return seedId === lucky ? 0.6 : 0;
  });
  assert.ok(tree.depth() >= 3, `depth ${tree.depth()}`);
  const luckySeed = tree.seeds.find((seed) => seed.seedId === lucky)!;
  assert.ok(luckySeed.visits >= 10, `rewarded seed visited ${luckySeed.visits} times`);
});

test("MCTS-Explore spreads over seeds when nothing is rewarded", () => {
  const policy = mctsExplorePolicy({ random: seededRandom(2) });
  const tree = play(policy, 30, () => 0);
  const touched = tree.seeds.filter((seed) => seed.visits > 0).length;
  assert.equal(touched, 30);
  assert.equal(tree.depth(), 1);
});

test("the random-seed baseline does not adapt to reward", () => {
  let lucky: string | undefined;
  const tree = play(randomSeedPolicy(seededRandom(1)), 30, (seedId) => {
    lucky ??= seedId;
    return seedId === lucky ? 1 : 0;
  });
  assert.equal(tree.depth(), 1);
  const luckySeed = tree.seeds.find((seed) => seed.seedId === lucky)!;
  assert.ok(luckySeed.visits <= 4, `baseline revisited the rewarded seed ${luckySeed.visits} times`);
});

test("policies are deterministic for a seed", () => {
  const order = (seed: number) => {
    const tree = play(mctsExplorePolicy({ random: seededRandom(seed) }), 15, () => 0.1);
    return [...tree.nodes.values()].filter((node) => node.level > 0).map((node) => node.parentId);
  };
  assert.deepEqual(order(5), order(5));
  assert.notDeepEqual(order(5), order(6));
});
