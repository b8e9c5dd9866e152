/**
 * How the Markdown and HTML reports (tables, chart labels, drill-down) write numbers: scores with 3
 * decimals, p-values with at most 3 significant digits ("< 0.001" below 0.001), intervals as
 * "[low, high]" or "n/a (too few templates)" when the result computed none for that reason.
 */
import type { Bounds } from "./result-schema.ts";

/** Shown for a value the result does not have. */
export const missingValue = "–";

/** A score or similarity with `digits` decimals; "–" when missing. */
export function formatScore(value: number | null | undefined, digits = 3): string {
  return typeof value === "number" && Number.isFinite(value) ? value.toFixed(digits) : missingValue;
}

/**
 * A p-value: at most 3 significant digits, trailing zeros dropped (0.0266, 0.004, 0.5, 1), "< 0.001"
 * below 0.001; "n/a" when missing.
 */
export function formatPValue(pValue: number | null | undefined): string {
  if (typeof pValue !== "number" || !Number.isFinite(pValue)) return "n/a";
  return pValue < 0.001 ? "< 0.001" : String(Number(pValue.toPrecision(3)));
}

/** A p-value as a label: "p = 0.0266", "p < 0.001", "p n/a". */
export function pValueLabel(pValue: number | null | undefined): string {
  const text = formatPValue(pValue);
  return text.startsWith("<") || text === "n/a" ? `p ${text}` : `p = ${text}`;
}

/** A score rounded to `digits` decimals as a number (for data that the page shows as is). */
export function roundScore(value: number, digits = 3): number | null {
  return Number.isFinite(value) ? Number(value.toFixed(digits)) : null;
}

/**
 * "[low, high]"; "n/a (too few templates)" when the result has no bounds and says why (its note,
 * "too few templates (2 < 5)", without the counts); undefined when there is no interval at all.
 */
export function formatInterval(
  bounds: Bounds | undefined,
  digits: number,
  note?: string | undefined,
): string | undefined {
  if (bounds !== undefined) return `[${bounds.low.toFixed(digits)}, ${bounds.high.toFixed(digits)}]`;
  if (note === undefined) return undefined;
  return `n/a (${note.replace(/\s*\([^()]*\)$/, "")})`;
}
