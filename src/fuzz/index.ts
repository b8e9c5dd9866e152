/** GPTFuzzer-style search over identity templates: tree, policies, mutators and the loop. */
export { cleanHelperText, type HelperClient, helperMutator, helperPrompt } from "./helper-mutators.ts";
export {
  type MutationInput,
  type MutationOutput,
  type Mutator,
  type MutatorName,
  mutatorNames,
} from "./mutator.ts";
export {
  explorationScore,
  type MctsExploreOptions,
  mctsExplorePolicy,
  meanReward,
  randomSeedPolicy,
  type SelectionPolicy,
} from "./policy.ts";
export { applyRule, paraphrase, ruleMutator } from "./rule-mutators.ts";
export { runSearch, type SearchOptions, type SearchOutcome, type SearchStep } from "./search.ts";
export { type FuzzNode, FuzzTree } from "./tree.ts";
