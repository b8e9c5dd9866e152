/** The mutation operators of the search, shared by the helper-model and the rule-based versions. */
import type { RandomSource } from "../metrics/random.ts";

export type MutatorName = "generate-similar" | "crossover" | "expand" | "shorten" | "rephrase";

export const mutatorNames: readonly MutatorName[] = [
  "generate-similar",
  "crossover",
  "expand",
  "shorten",
  "rephrase",
];

export interface MutationInput {
  template: string;
  /** A second template, used by crossover (another seed of the pool). */
  partner: string;
  random: RandomSource;
}

export interface MutationOutput {
  text: string;
  /** Calls made to the helper model (0 for rule-based mutators). */
  helperCalls: number;
  /** "helper" when the helper's text was used, "rule" when a rule made it (also as a fallback). */
  source: "helper" | "rule";
  /** Why a helper mutation fell back to the rule, or what the cleanup changed. */
  note?: string;
}

export interface Mutator {
  readonly name: MutatorName;
  mutate(input: MutationInput): Promise<MutationOutput>;
}
