/** Checks on the fields of parsed prompt records; each failure names the location and the field. */
import { InputError } from "../../errors.ts";

/** The object at a record, or an InputError naming the location. */
export function asObject(value: unknown, where: string): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new InputError(`${where}: expected a JSON object`);
  return value as Record<string, unknown>;
}

/** A non-empty string field, or an InputError naming the location and field. */
export function requireString(record: Record<string, unknown>, field: string, where: string): string {
  const value = record[field];
  if (typeof value !== "string" || value.trim() === "")
    throw new InputError(`${where}: field "${field}" must be a non-empty string`);
  return value;
}

/** An id field that may be a string or a number, as public sets use both. */
export function optionalId(
  record: Record<string, unknown>,
  field: string,
  where: string,
): string | undefined {
  const value = record[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  throw new InputError(`${where}: field "${field}" must be a string or a number`);
}
