import { InputError } from "../errors.ts";
import { shownValue } from "./option-name.ts";

/**
 * Checks of what a library caller in plain JavaScript (or with a cast) passes to an entry point: a wrong
 * shape is an InputError naming the call and the option, never a TypeError from deep inside a run, which
 * may come after requests were paid for.
 */

/** The options object itself: `collect()` or `collect("x")` says what the call needs. */
export function checkOptionsObject(value: unknown, call: string, needs: string): void {
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new InputError(`${call} needs an options object { ${needs} }, got ${shownValue(value)}`);
}

/** A progress or event callback: a function when given. */
export function checkCallbackOption(value: unknown, name: string): void {
  if (value !== undefined && typeof value !== "function")
    throw new InputError(`${name} must be a function when given, got ${shownValue(value)}`);
}

/** The cancel signal: an AbortSignal when given (from new AbortController().signal or AbortSignal.timeout). */
export function checkSignalOption(value: unknown): void {
  if (value !== undefined && !(value instanceof AbortSignal))
    throw new InputError(
      "signal must be an AbortSignal when given (e.g. new AbortController().signal or AbortSignal.timeout(ms))",
    );
}

/** A list option: an array when given (a lone string would otherwise be read as a list of letters). */
export function checkListOption(value: unknown, name: string, example: string): void {
  if (value !== undefined && !Array.isArray(value))
    throw new InputError(`${name} must be a list, e.g. ${example}, got ${shownValue(value)}`);
}

/**
 * A list that an exported function needs (its argument, not an option): `scoreIce("x")` or
 * `buildReportModel(undefined)` names the call and the argument (`name` is "scoreIce: inputs").
 */
export function checkListArgument(value: unknown, name: string, example: string): void {
  if (!Array.isArray(value))
    throw new InputError(`${name} must be a list, e.g. ${example}, got ${shownKind(value)}`);
}

/** A text that an exported function needs: `redactSecrets(undefined)` names the call and the argument. */
export function checkTextArgument(value: unknown, name: string, example: string): asserts value is string {
  if (typeof value !== "string")
    throw new InputError(`${name} must be a string such as ${example}, got ${shownKind(value)}`);
}

/**
 * A wrong argument as an error shows it: a plain value as it is, an object by its kind only (a model or
 * a store passed in the wrong place may hold a key, and a result may be megabytes).
 */
export function shownKind(value: unknown): string {
  if (typeof value === "function") return "a function";
  if (value === null || typeof value !== "object") return shownValue(value);
  return Array.isArray(value) ? "a list" : "an object";
}

/** The judge option of runIce and runRse: the embedded judge, or an LLM judge with a model from createModel. */
export function checkJudgeOption(value: unknown): void {
  if (value === undefined) return;
  const judge = value as { kind?: unknown; model?: { generate?: unknown } } | null;
  const embedded = judge?.kind === "embedded";
  const llm = judge?.kind === "llm" && typeof judge.model?.generate === "function";
  if (!embedded && !llm)
    throw new InputError(
      `judge must be { kind: "embedded" } or { kind: "llm", model: createModel("openai:gpt-4o") }, got ${shownValue(judge?.kind === "llm" ? { kind: "llm", model: judge.model } : value)}`,
    );
}

/** Sampling parameters sent with every request: values a provider would refuse (or misread) are refused here. */
export function checkGenerationOption(value: unknown, name = "generation"): void {
  if (value === undefined) return;
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new InputError(`${name} must be an object such as { temperature: 0 }, got ${shownValue(value)}`);
  const { temperature, topP, maxTokens, seed, stop } = value as Record<string, unknown>;
  const inRange = (number: unknown, low: number, high: number) =>
    typeof number === "number" && Number.isFinite(number) && number >= low && number <= high;
  if (temperature !== undefined && !inRange(temperature, 0, 2))
    throw new InputError(`${name}.temperature must be between 0 and 2, got ${shownValue(temperature)}`);
  if (topP !== undefined && (!inRange(topP, 0, 1) || topP === 0))
    throw new InputError(`${name}.topP must be above 0 and at most 1, got ${shownValue(topP)}`);
  if (maxTokens !== undefined && (!Number.isInteger(maxTokens) || (maxTokens as number) < 1))
    throw new InputError(`${name}.maxTokens must be a whole number >= 1, got ${shownValue(maxTokens)}`);
  if (seed !== undefined && !Number.isInteger(seed))
    throw new InputError(`${name}.seed must be a whole number, got ${shownValue(seed)}`);
  if (stop !== undefined && !(Array.isArray(stop) && stop.every((entry) => typeof entry === "string")))
    throw new InputError(`${name}.stop must be a list of strings, got ${shownValue(stop)}`);
}
