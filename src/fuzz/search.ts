/**
 * The GPTFuzzer-style loop: select a node -> mutate it -> query every question with the mutation ->
 * judge -> update the policy. The budget caps queries to the target and is never exceeded: the last
 * batch is cut short when it would pass the cap. Helper calls are counted apart.
 */
import { type RandomSource, randomIndex } from "../metrics/random.ts";
import type { Mutator, MutatorName } from "./mutator.ts";
import type { SelectionPolicy } from "./policy.ts";
import { type FuzzNode, FuzzTree } from "./tree.ts";

/** One iteration of the search, as recorded in the result. */
export interface SearchStep {
  iteration: number;
  /** The node that was mutated. */
  selectedId: string;
  /** The new node (the mutation that was queried). */
  nodeId: string;
  seedId: string;
  level: number;
  mutator: MutatorName;
  mutationSource: "helper" | "rule";
  mutationNote?: string;
  queries: number;
  successes: number;
  /** successes / queries. */
  reward: number;
  helperCalls: number;
}

export interface SearchOptions<Question> {
  seeds: ReadonlyArray<{ id: string; text: string }>;
  /** Asked, in this order, with every mutation. */
  questions: readonly Question[];
  policy: SelectionPolicy;
  mutators: readonly Mutator[];
  /** Most queries sent to the target. */
  budget: number;
  random: RandomSource;
  /** Stop after this many iterations even when budget is left. */
  maxIterations?: number;
  /** Asks `questions` with the template `node.text`; resolves to one success flag per question asked. */
  evaluate: (node: FuzzNode, questions: readonly Question[]) => Promise<boolean[]>;
  /** Called after each iteration (progress). */
  onStep?: (step: SearchStep) => void;
}

export interface SearchOutcome {
  tree: FuzzTree;
  steps: SearchStep[];
  queriesUsed: number;
  helperCalls: number;
}

/** Tries to get a text that differs from every node so far; a few mutator draws at most. */
async function mutateFresh(
  tree: FuzzTree,
  selected: FuzzNode,
  mutators: readonly Mutator[],
  random: RandomSource,
): Promise<{
  text: string;
  mutator: Mutator;
  source: "helper" | "rule";
  note?: string;
  helperCalls: number;
}> {
  let helperCalls = 0;
  let last: { text: string; mutator: Mutator; source: "helper" | "rule"; note?: string } | undefined;
  for (let attempt = 0; attempt < 4; attempt++) {
    const mutator = mutators[randomIndex(random, mutators.length)]!;
    const partners = tree.seeds.filter((seed) => seed.seedId !== selected.seedId);
    const partner = (partners.length > 0 ? partners : tree.seeds)[
      randomIndex(random, Math.max(1, partners.length))
    ]!;
    const output = await mutator.mutate({ template: selected.text, partner: partner.text, random });
    helperCalls += output.helperCalls;
    last = {
      text: output.text,
      mutator,
      source: output.source,
      ...(output.note ? { note: output.note } : {}),
    };
    if (!tree.hasText(output.text)) break;
  }
  return { ...last!, helperCalls };
}

/** Runs the search until the budget or the iteration cap is reached. */
export async function runSearch<Question>(options: SearchOptions<Question>): Promise<SearchOutcome> {
  if (!Number.isInteger(options.budget) || options.budget < 0)
    throw new Error("budget must be a whole number >= 0");
  if (options.mutators.length === 0) throw new Error("a search needs at least one mutator");
  const tree = new FuzzTree(options.seeds);
  const steps: SearchStep[] = [];
  let queriesUsed = 0;
  let helperCalls = 0;
  const maxIterations = options.maxIterations ?? Number.POSITIVE_INFINITY;
  while (queriesUsed < options.budget && steps.length < maxIterations && options.questions.length > 0) {
    const selected = options.policy.select(tree);
    const mutation = await mutateFresh(tree, selected, options.mutators, options.random);
    helperCalls += mutation.helperCalls;
    const child = tree.addChild(selected, mutation.text, mutation.mutator.name);
    const batch = options.questions.slice(0, options.budget - queriesUsed);
    const flags = await options.evaluate(child, batch);
    if (flags.length !== batch.length)
      throw new Error(`evaluate returned ${flags.length} flags for ${batch.length} questions`);
    queriesUsed += batch.length;
    const successes = flags.filter(Boolean).length;
    const reward = successes / batch.length;
    options.policy.update(tree, selected, child, reward);
    const step: SearchStep = {
      iteration: steps.length,
      selectedId: selected.id,
      nodeId: child.id,
      seedId: child.seedId,
      level: child.level,
      mutator: mutation.mutator.name,
      mutationSource: mutation.source,
      ...(mutation.note ? { mutationNote: mutation.note } : {}),
      queries: batch.length,
      successes,
      reward,
      helperCalls: mutation.helperCalls,
    };
    steps.push(step);
    options.onStep?.(step);
  }
  return { tree, steps, queriesUsed, helperCalls };
}
