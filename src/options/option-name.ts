import { InputError } from "../errors.ts";

/**
 * How an error names an option that a library caller passes in code and a CLI user types as a flag:
 * `optionName("alpha", "--alpha")` is "alpha (--alpha)", which reads right from both.
 */
export function optionName(option: string, flag: string): string {
  return `${option} (${flag})`;
}

/** A whole number >= minimum, or an InputError naming the option (the CLI checks its flags the same way). */
export function checkWholeNumberOption(
  value: unknown,
  name: string,
  minimum: number,
): asserts value is number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < minimum)
    throw new InputError(`${name} must be a whole number >= ${minimum}, got ${shownValue(value)}`);
}

/** A value as an error shows it: NaN as NaN, a missing value as "nothing", a string in quotes. */
export function shownValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "number") return String(value);
  return JSON.stringify(value) ?? String(value);
}
