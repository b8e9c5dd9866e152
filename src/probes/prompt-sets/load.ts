/**
 * Turns `--prompts` values into prompt sets: `default`, `arena-hard:<file>`, `numina:<file>`,
 * `sharegpt:<file>`, `alpacaeval:<file>` or a plain `<file>.jsonl` in our own format; optionally a seeded sample of N each.
 */
import { InputError } from "../../errors.ts";
import { seededRandom, shuffled } from "../../metrics/random.ts";
import { checkOptionsObject } from "../../options/library-options.ts";
import { checkWholeNumberOption, optionName } from "../../options/option-name.ts";
import { loadAlpacaEval } from "./alpacaeval.ts";
import { loadArenaHard } from "./arena-hard.ts";
import { defaultPromptSet } from "./default-set.ts";
import { loadPromptJsonl } from "./jsonl.ts";
import { loadNumina } from "./numina.ts";
import { loadShareGpt } from "./sharegpt.ts";
import type { PromptSet } from "./types.ts";

export const promptSetKinds = ["default", "arena-hard", "numina", "sharegpt", "alpacaeval", "jsonl"] as const;

/** Loads one `--prompts` value. */
export async function loadPromptSet(specification: string): Promise<PromptSet> {
  if (specification === "default") return defaultPromptSet();
  const colon = specification.indexOf(":");
  const kind = colon > 0 ? specification.slice(0, colon) : "";
  const path = specification.slice(colon + 1);
  if (kind !== "" && path.trim() === "")
    throw new InputError(
      `prompt set (--prompts) ${JSON.stringify(specification)}: give a file after "${kind}:"`,
    );
  if (kind === "arena-hard") return loadArenaHard(path);
  if (kind === "numina") return loadNumina(path);
  if (kind === "sharegpt") return loadShareGpt(path);
  if (kind === "alpacaeval") return loadAlpacaEval(path);
  if (kind === "jsonl") return loadPromptJsonl(path);
  if (specification.toLowerCase().endsWith(".jsonl")) return loadPromptJsonl(specification);
  throw new InputError(
    `prompt set (--prompts) ${JSON.stringify(specification)}: expected default, arena-hard:<file>, numina:<file>, sharegpt:<file>, alpacaeval:<file> or <file>.jsonl${prefixHint(kind, specification)}`,
  );
}

/** For a plain file whose kind the extension suggests, the value to give instead ("; did you mean ..."). */
function prefixHint(kind: string, specification: string): string {
  if (kind !== "") return "";
  const lower = specification.toLowerCase();
  const guess = lower.endsWith(".parquet") ? "numina" : lower.endsWith(".json") ? "sharegpt" : undefined;
  if (guess === undefined) return "";
  if (guess === "numina") return `; name the format: numina:${specification} (a NuminaMath Parquet file)`;
  return `; name the format: sharegpt:${specification} (a ShareGPT JSON file) or alpacaeval:${specification} (an AlpacaEval list of instructions)`;
}

/** A seeded sample of `limit` prompts (kept in file order), or the set unchanged when it is smaller. */
export function samplePromptSet(set: PromptSet, limit: number | undefined, seed: number): PromptSet {
  if (limit === undefined || set.prompts.length <= limit) return set;
  const indices = shuffled(
    set.prompts.map((_, index) => index),
    seededRandom(seed),
  )
    .slice(0, limit)
    .sort((left, right) => left - right);
  return { ...set, prompts: indices.map((index) => set.prompts[index]!) };
}

/**
 * Loads every `--prompts` value and samples each. Datasets that share a name (two JSONL files with the
 * same base name) are an InputError, because their prompt ids could collide in the result.
 */
export async function loadPromptSets(
  specifications: readonly string[],
  options: { limit?: number; seed?: number } = {},
): Promise<PromptSet[]> {
  // The CLI checks its flags; a library caller's values get the same checks (a limit of -1 would
  // silently drop the last prompt, a bare string would be read letter by letter).
  if (!Array.isArray(specifications))
    throw new InputError(
      `prompt sets (--prompts): give a list of prompt sets, e.g. ["default"] or ["prompts.jsonl"], got ${JSON.stringify(specifications)}`,
    );
  checkOptionsObject(options, "loadPromptSets", "limit?, seed?");
  const { limit, seed } = options;
  if (limit !== undefined) checkWholeNumberOption(limit, optionName("limit", "--limit"), 1);
  if (seed !== undefined) checkWholeNumberOption(seed, optionName("seed", "--seed"), 0);
  const sets: PromptSet[] = [];
  /** Which `--prompts` value first gave each dataset and id, to name both values on a collision. */
  const givenBy = new Map<string, string>();
  for (const specification of specifications.length > 0 ? specifications : ["default"]) {
    const set = samplePromptSet(await loadPromptSet(specification), options.limit, options.seed ?? 0);
    for (const prompt of set.prompts) {
      const key = `${prompt.dataset}\u0000${prompt.id}`;
      const earlier = givenBy.get(key);
      if (earlier === specification)
        throw new InputError(
          `prompt set (--prompts) ${specification}: prompt "${prompt.id}" of dataset "${prompt.dataset}" is given twice; load each set once`,
        );
      if (earlier !== undefined)
        throw new InputError(
          `prompt sets (--prompts) ${earlier} and ${specification} both give prompt "${prompt.id}" of dataset "${prompt.dataset}"; ` +
            `load each file once, or give one of them other ids (in a prompt JSONL, a "dataset" field or another file name names another dataset)`,
        );
      givenBy.set(key, specification);
    }
    sets.push(set);
  }
  return sets;
}
