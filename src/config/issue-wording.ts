/**
 * Plain wording for zod's issues in a config file: what the field must be and what it was, instead of
 * zod's own text ("Too small: expected number to be >0", "Invalid URL"). The loader adds file, line
 * and field; a message a schema wrote itself (a regex's explanation) is kept as it is.
 */
import type { z } from "zod";

/** The message for `issue`; `actual` is the value found at the issue's path (undefined when absent). */
export function issueMessage(issue: z.core.$ZodIssue, actual: unknown): string {
  switch (issue.code) {
    case "invalid_type":
      return actual === undefined
        ? `required field is missing (expected ${article(issue.expected)})`
        : `expected ${article(issue.expected)}, got ${describeValue(actual)}`;
    case "invalid_value":
      if (issue.values.length > 1)
        return `"${String(actual)}" is not allowed; use one of: ${issue.values.map(String).join(", ")}`;
      return `must be ${String(issue.values[0])} (the only value allowed), got ${describeValue(actual)}`;
    case "too_small":
      return tooSmall(issue, actual);
    case "too_big":
      return tooBig(issue, actual);
    case "invalid_format":
      if (issue.format === "url")
        return `expected an http:// or https:// URL such as http://127.0.0.1:8000/v1, got ${describeValue(actual)}`;
      return issue.message;
    default:
      return issue.message;
  }
}

function tooSmall(issue: z.core.$ZodIssueTooSmall, actual: unknown): string {
  const minimum = Number(issue.minimum);
  if (issue.origin === "array" || issue.origin === "set")
    return `must list at least ${minimum} ${minimum === 1 ? "entry" : "entries"}, got ${describeValue(actual)}`;
  if (issue.origin === "string")
    return minimum <= 1 ? "must not be empty" : `must be at least ${minimum} characters long`;
  if (issue.origin === "number" || issue.origin === "int" || issue.origin === "bigint")
    return `must be ${issue.inclusive ? `${minimum} or more` : `more than ${minimum}`}, got ${describeValue(actual)}`;
  return issue.message;
}

function tooBig(issue: z.core.$ZodIssueTooBig, actual: unknown): string {
  const maximum = Number(issue.maximum);
  if (issue.origin === "array" || issue.origin === "set")
    return `must list at most ${maximum} ${maximum === 1 ? "entry" : "entries"}, got ${describeValue(actual)}`;
  if (issue.origin === "string") return `must be at most ${maximum} characters long`;
  if (issue.origin === "number" || issue.origin === "int" || issue.origin === "bigint")
    return `must be ${issue.inclusive ? `${maximum} or less` : `less than ${maximum}`}, got ${describeValue(actual)}`;
  return issue.message;
}

function article(expected: string): string {
  if (expected === "array") return "a list";
  if (expected === "object") return "a mapping";
  if (expected === "int") return "a whole number";
  if (expected === "boolean") return "true or false";
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

/** A value as an error message shows it: `the text "x"`, `-3`, `an empty list`, `a list of 1`. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return value.length === 0 ? "an empty list" : `a list of ${value.length}`;
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") {
    if (value === "") return "an empty text";
    return `the text "${value.length > 40 ? `${value.slice(0, 40)}...` : value}"`;
  }
  if (typeof value === "number") return String(value);
  return `${typeof value} ${String(value)}`;
}
