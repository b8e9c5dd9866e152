/**
 * How a fail-on check's value is written, in the table and in the exit line. Apart from gate.ts so that
 * the CLI's fail-on line does not load the gate (and the report code under it) at start-up.
 */
import { formatPValue, formatScore } from "../report/number-format.ts";

/**
 * A check's value as the reports write it: a p-value with the reports' p-value format ("0.0266",
 * "< 0.001"), any other number with 3 decimals, a teacher's name as it is, "null" for no teacher, "-"
 * when the result has none.
 */
export function formatGateValue(check: {
  metric: string;
  actual: number | string | null | undefined;
}): string {
  const actual = check.actual;
  if (actual === undefined) return "-";
  if (actual === null) return "null";
  if (typeof actual === "string") return actual;
  return check.metric === "lineage.pValue" ? formatPValue(actual) : formatScore(actual);
}
