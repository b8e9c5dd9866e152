/**
 * AlpacaEval's instructions as `collect` prompts (`alpaca_eval.json` or a `model_outputs.json`): each
 * instruction, exactly as written, is one user message, so the transcripts align with the AlpacaEval
 * outputs in `lineage`.
 */
import { readAlpacaEvalInstructions } from "../corpus/alpacaeval-instructions.ts";
import type { PromptEntry } from "./prompts.ts";

/** The prompts of an AlpacaEval JSON list; ids are the item's position ("0", "1", ...). */
export function readAlpacaEvalPrompts(path: string): PromptEntry[] {
  return readAlpacaEvalInstructions(path).map(({ index, instruction }) => ({
    id: String(index),
    messages: [{ role: "user", content: instruction }],
    line: index + 1,
  }));
}
