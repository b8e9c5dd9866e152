/** `alpacaeval:<file>`: AlpacaEval's instructions (alpaca_eval.json or a model_outputs.json) as a prompt set. */
import { readAlpacaEvalInstructions } from "../../corpus/alpacaeval-instructions.ts";
import type { PromptSet } from "./types.ts";

/** One single-turn prompt per instruction, as written; ids are the item's position. */
export async function loadAlpacaEval(path: string): Promise<PromptSet> {
  const prompts = readAlpacaEvalInstructions(path).map(({ index, instruction }) => ({
    id: String(index),
    dataset: "alpacaeval",
    turns: [instruction],
  }));
  return { dataset: "alpacaeval", prompts, skipped: {}, source: path };
}
