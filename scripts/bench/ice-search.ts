/**
 * How well each selection policy finds identity-leaking templates, on a synthetic target (no
 * network): every seed template has a hidden leak rate (most low, a few high), and each mutation
 * multiplies its parent's rate by a factor fixed by the mutated text, so building on a good template
 * pays. Compares the repaired MCTS-Explore, the random-seed baseline and the paper's original
 * MCTS-Explore formula, over many run seeds with a 1,000-query budget and 50 questions per template.
 * Usage: node scripts/bench/ice-search.ts [runs]
 */
import { createHash } from "node:crypto";
import { mutatorNames } from "../../src/fuzz/mutator.ts";
import { mctsExplorePolicy, randomSeedPolicy, type SelectionPolicy } from "../../src/fuzz/policy.ts";
import { ruleMutator } from "../../src/fuzz/rule-mutators.ts";
import { runSearch } from "../../src/fuzz/search.ts";
import type { FuzzNode } from "../../src/fuzz/tree.ts";
import { seededRandom } from "../../src/metrics/random.ts";
import { selectProbes } from "../../src/probes/identity-probes.ts";

function unit(text: string): number {
  return createHash("sha256").update(text).digest().readUInt32BE(0) / 4294967296;
}

const rates = new Map<string, number>();
/** Hidden leak rate of a node: seeds 0.02-0.12, one in eight 0.25-0.40; mutations x0.5..x1.6. */
function seedRate(seedId: string): number {
  const draw = unit(`seed:${seedId}`);
  return draw < 0.125 ? 0.25 + unit(`high:${seedId}`) * 0.15 : 0.02 + unit(`low:${seedId}`) * 0.1;
}

function leakRate(node: FuzzNode): number {
  const known = rates.get(node.id);
  if (known !== undefined) return known;
  const parentId = node.parentId!;
  const parentRate = parentId.startsWith("seed:") ? seedRate(node.seedId) : rates.get(parentId)!;
  const rate = Math.min(0.95, parentRate * (0.5 + 1.1 * unit(`mutation:${node.text}`)));
  rates.set(node.id, rate);
  return rate;
}

/** The paper's MCTS-Explore as its code computes it (for comparison only). */
function originalMctsExplore(random: () => number, questions: number): SelectionPolicy {
  let step = 0;
  const score = (node: FuzzNode) =>
    node.rewardSum / (node.visits + 1) + 0.5 * Math.sqrt((2 * Math.log(step)) / (node.visits + 0.01));
  const argmax = (nodes: readonly FuzzNode[]) =>
    nodes.reduce((best, node) => (score(node) > score(best) ? node : best), nodes[0]!);
  return {
    name: "mcts-explore",
    select(tree) {
      step += 1;
      let node = argmax(tree.seeds);
      const path = [node];
      while (node.children.length > 0 && random() >= 0.1) {
        node = argmax(node.children);
        path.push(node);
      }
      for (const entry of path) entry.visits += 1;
      return node;
    },
    update(tree, selected, child, reward) {
      const squashed = (reward * questions) / (questions * questions);
      child.ownReward = reward;
      for (const node of tree.pathTo(selected))
        node.rewardSum += squashed * Math.max(0.2, 1 - 0.1 * child.level);
    },
  };
}

const runs = Number(process.argv[2] ?? 40);
const budget = 1000;
const mutators = mutatorNames.map(ruleMutator);
const policies: Record<string, (seed: number) => SelectionPolicy> = {
  "mcts-explore (repaired)": (seed) => mctsExplorePolicy({ random: seededRandom(seed + 7) }),
  "random-seed baseline": (seed) => randomSeedPolicy(seededRandom(seed + 7)),
  "mcts-explore (paper's formula)": (seed) => originalMctsExplore(seededRandom(seed + 7), 50),
};
process.stdout.write(`synthetic target, ${runs} runs, budget ${budget}, 50 questions per template\n`);
process.stdout.write(
  "policy                           mean rate  best template  mean depth  seeds touched\n",
);
for (const [name, makePolicy] of Object.entries(policies)) {
  let meanRate = 0;
  let bestRate = 0;
  let depth = 0;
  let touched = 0;
  for (let run = 0; run < runs; run++) {
    rates.clear();
    const selection = selectProbes({ seed: run, questionsPerLanguage: 25 });
    const outcome = await runSearch({
      seeds: selection.seeds.map((seed) => ({ id: seed.id, text: seed.text })),
      questions: selection.questions,
      policy: makePolicy(run),
      mutators,
      budget,
      random: seededRandom(run + 11),
      evaluate: async (node, questions) => {
        const rate = leakRate(node);
        return questions.map((question) => unit(`${node.text}|${question.id}`) < rate);
      },
    });
    const successes = outcome.steps.reduce((total, step) => total + step.successes, 0);
    meanRate += successes / outcome.queriesUsed / runs;
    bestRate += Math.max(...outcome.steps.map((step) => step.reward)) / runs;
    depth += outcome.tree.depth() / runs;
    touched += new Set(outcome.steps.map((step) => step.seedId)).size / runs;
  }
  process.stdout.write(
    `${name.padEnd(32)} ${meanRate.toFixed(3).padStart(9)}  ${bestRate.toFixed(3).padStart(13)}  ${depth.toFixed(1).padStart(10)}  ${touched.toFixed(1).padStart(13)}\n`,
  );
}
