import { InputError } from "../errors.ts";

/**
 * Checks a `--judge` value: "embedded" or a model id (provider:model). A word without a colon is a
 * misspelt "embedded" far more often than a model id without its provider, so it is refused naming both,
 * before the model registry's generic "model id must look like provider:model".
 */
export function checkJudgeFlag(value: string): string {
  if (value === "embedded" || value.includes(":")) return value;
  const hint = value.toLowerCase().startsWith("emb") ? ' (did you mean "embedded"?)' : "";
  throw new InputError(
    `--judge "${value}" is neither embedded nor a model id provider:model such as openai:gpt-4o-mini${hint}`,
  );
}
