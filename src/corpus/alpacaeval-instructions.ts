/**
 * AlpacaEval's instructions, to ask other models: the evaluation set (`alpaca_eval.json`) or any model's
 * `model_outputs.json`, both a JSON list of `{"instruction", ...}`. Each instruction is kept exactly as
 * written, so that the answers collected for it align with the AlpacaEval outputs in `lineage`.
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { InputError } from "../errors.ts";
import { decodeUtf8 } from "./utf8.ts";

export interface AlpacaEvalInstruction {
  /** The item's position in the list (0-based). */
  index: number;
  instruction: string;
}

/** Reads an AlpacaEval JSON list (a BOM accepted); an instruction given twice is kept once, at its first place. */
export function readAlpacaEvalInstructions(path: string): AlpacaEvalInstruction[] {
  const label = basename(path);
  let text: string;
  try {
    text = decodeUtf8(readFileSync(path), path).replace(/^\uFEFF/, "");
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as { code?: string }).code ?? String(error);
    throw new InputError(
      `${path}: cannot read the prompt file (${code}); check the prompts path (--prompts)`,
    );
  }
  let rows: unknown;
  try {
    rows = JSON.parse(text);
  } catch {
    throw new InputError(
      `${label}: not valid JSON; a .json prompt file must be an AlpacaEval list of {"instruction": "..."} (or give a .jsonl prompt file)`,
    );
  }
  if (!Array.isArray(rows))
    throw new InputError(
      `${label}: expected a JSON list of {"instruction": "..."} (AlpacaEval's alpaca_eval.json or a model_outputs.json)`,
    );
  const instructions: AlpacaEvalInstruction[] = [];
  const seen = new Set<string>();
  rows.forEach((row: unknown, index: number) => {
    const instruction = (row as { instruction?: unknown } | null)?.instruction;
    if (typeof instruction !== "string" || instruction.trim() === "")
      throw new InputError(`${label}: item ${index} has no non-empty string "instruction"`);
    if (seen.has(instruction)) return;
    seen.add(instruction);
    instructions.push({ index, instruction });
  });
  if (instructions.length === 0) throw new InputError(`${label}: the list is empty; it holds no instruction`);
  return instructions;
}
