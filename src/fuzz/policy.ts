/**
 * Selection policies: which node of the tree the next mutation starts from.
 *
 * MCTS-Explore, repaired (see docs/design/ice-search.md): the reward is the success rate of the
 * child's own queries (in [0, 1], not divided again by the number of questions); a node's value is
 * its mean credited reward; the exploration bonus is UCB1-shaped with visits + 1 in the denominator,
 * so an unvisited seed gets a bounded bonus instead of a +0.01-denominator jackpot; and the descent
 * goes into a child once some child has earned reward, so a productive branch deepens.
 * The random-seed baseline picks a seed uniformly and never looks at rewards.
 */
import { type RandomSource, randomIndex } from "../metrics/random.ts";
import type { FuzzNode, FuzzTree } from "./tree.ts";

export interface SelectionPolicy {
  readonly name: "mcts-explore" | "random-seed";
  /** The node to mutate next; marks the path as visited when the policy keeps statistics. */
  select(tree: FuzzTree): FuzzNode;
  /** Credits the reward of `child` (a new mutation of `selected`) along the path. */
  update(tree: FuzzTree, selected: FuzzNode, child: FuzzNode, reward: number): void;
}

export interface MctsExploreOptions {
  random: RandomSource;
  /** Weight of the exploration bonus; rewards live in [0, 1]. */
  exploration?: number;
  /** Probability of stopping the descent at a node that has rewarded children (keeps siblings coming). */
  stopProbability?: number;
  /** Lowest share of the reward credited to the path of a deep node. */
  minimumCredit?: number;
  /** Credit lost per level of the new child. */
  creditDecayPerLevel?: number;
}

/** Mean credited reward; `prior` (the run's mean reward so far) before any visit. */
export function meanReward(node: FuzzNode, prior = 0): number {
  return node.visits === 0 ? prior : node.rewardSum / node.visits;
}

/**
 * UCB1-shaped score with +1 in both logarithm and denominator, so an unvisited node's bonus is
 * `exploration * sqrt(ln(parentVisits + 1))`, of the same scale as rewards rather than a jackpot.
 */
export function explorationScore(
  node: FuzzNode,
  parentVisits: number,
  exploration: number,
  prior = 0,
): number {
  return meanReward(node, prior) + exploration * Math.sqrt(Math.log(parentVisits + 1) / (node.visits + 1));
}

function bestByScore(
  candidates: readonly FuzzNode[],
  parentVisits: number,
  exploration: number,
  prior: number,
  random: RandomSource,
): FuzzNode {
  let best: FuzzNode[] = [];
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const candidate of candidates) {
    const score = explorationScore(candidate, parentVisits, exploration, prior);
    if (score > bestScore + 1e-12) {
      bestScore = score;
      best = [candidate];
    } else if (Math.abs(score - bestScore) <= 1e-12) best.push(candidate);
  }
  // Ties (all unvisited seeds at the start) are broken by the seeded random source, not by list order.
  return best[randomIndex(random, best.length)]!;
}

/** MCTS-Explore with the repairs described above. */
export function mctsExplorePolicy(options: MctsExploreOptions): SelectionPolicy {
  const exploration = options.exploration ?? 0.2;
  const stopProbability = options.stopProbability ?? 0.1;
  const minimumCredit = options.minimumCredit ?? 0.5;
  const creditDecayPerLevel = options.creditDecayPerLevel ?? 0.05;
  let totalSelections = 0;
  // An unvisited node is assumed to be as good as the average mutation so far (not as bad as zero).
  let rewardTotal = 0;
  let evaluations = 0;
  const prior = () => (evaluations === 0 ? 0 : rewardTotal / evaluations);
  return {
    name: "mcts-explore",
    select(tree) {
      totalSelections += 1;
      let node = bestByScore(tree.seeds, totalSelections, exploration, prior(), options.random);
      const path = [node];
      while (node.children.length > 0) {
        const rewarded = node.children.some((child) => child.rewardSum > 0);
        if (!rewarded || options.random() < stopProbability) break;
        node = bestByScore(node.children, node.visits, exploration, prior(), options.random);
        path.push(node);
      }
      for (const step of path) step.visits += 1;
      return node;
    },
    update(tree, selected, child, reward) {
      const credit = Math.max(minimumCredit, 1 - creditDecayPerLevel * child.level) * reward;
      rewardTotal += reward;
      evaluations += 1;
      child.visits += 1;
      child.rewardSum += reward;
      child.ownReward = reward;
      for (const node of tree.pathTo(selected)) node.rewardSum += credit;
    },
  };
}

/** The baseline: a uniformly random seed each time, one mutation deep, rewards ignored. */
export function randomSeedPolicy(random: RandomSource): SelectionPolicy {
  return {
    name: "random-seed",
    select(tree) {
      const seed = tree.seeds[randomIndex(random, tree.seeds.length)]!;
      seed.visits += 1;
      return seed;
    },
    update(_tree, _selected, child, reward) {
      child.visits += 1;
      child.rewardSum += reward;
      child.ownReward = reward;
    },
  };
}
