import { InputError } from "../errors.ts";

/**
 * A path a library caller passes: anything but a non-empty string is an InputError naming what it is for,
 * not a TypeError (or Node's deprecation warning) from inside node:fs.
 */
export function checkPathArgument(value: unknown, what: string): asserts value is string {
  if (typeof value !== "string" || value === "")
    throw new InputError(
      `${what} must be a path, got ${value === undefined ? "nothing" : JSON.stringify(value)}`,
    );
}
