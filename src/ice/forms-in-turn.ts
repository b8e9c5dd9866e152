/**
 * The first iterations of an ICE search take vendor-neutral and vendor-naming templates in turn, so that
 * even a small budget (the audit's default 200 queries = 4 templates x 50 questions) has rows of both
 * forms and the priming effect (vendor-naming minus neutral) can be measured. Without it, the first
 * templates are a seeded draw from the whole pool, and at 4 templates some seeds draw only neutral ones.
 *
 * Wraps any selection policy: during the first `iterations` selections the policy sees only the seeds
 * of the form that has fewer evaluated templates so far (neutral first on a tie); its own rule (MCTS
 * scores, ties broken by its seeded random source) picks among them. Afterwards it sees every seed.
 * The form is read from the text, as the ICE score reads `vendorNamed`, so a mutation that dropped a
 * vendor's name counts as neutral.
 */
import type { SelectionPolicy } from "../fuzz/policy.ts";
import type { FuzzTree } from "../fuzz/tree.ts";
import { developersNamedIn } from "../identity/registry.ts";

/** Iterations that alternate the forms: 4, the default audit budget of 200 at 50 questions per template. */
export const formsInTurnIterations = 4;

/** Whether a template names any developer or product (the `vendorNamed` test of the ICE score). */
export function namesVendor(text: string): boolean {
  return developersNamedIn(text).size > 0;
}

/** The tree as the policy sees it: the same nodes, only some seeds. */
function treeWithSeeds(tree: FuzzTree, seeds: FuzzTree["seeds"]): FuzzTree {
  return Object.create(tree, { seeds: { value: seeds } }) as FuzzTree;
}

/** `policy`, with its first `iterations` selections restricted to the form that has fewer templates. */
export function formsInTurn(policy: SelectionPolicy, iterations = formsInTurnIterations): SelectionPolicy {
  let selections = 0;
  let vendorNaming = 0;
  let neutral = 0;
  return {
    name: policy.name,
    select(tree) {
      selections += 1;
      if (selections > iterations) return policy.select(tree);
      const wantNaming = vendorNaming < neutral;
      const seeds = tree.seeds.filter((seed) => namesVendor(seed.text) === wantNaming);
      // A pool with seeds of one form only (forms: "neutral") is searched as it is.
      return policy.select(seeds.length > 0 ? treeWithSeeds(tree, seeds) : tree);
    },
    update(tree, selected, child, reward) {
      if (namesVendor(child.text)) vendorNaming += 1;
      else neutral += 1;
      policy.update(tree, selected, child, reward);
    },
  };
}
