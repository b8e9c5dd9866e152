import { closestName } from "../text/closest-name.ts";

/**
 * `fail-on` thresholds: `<metric> <operator> <value>`, e.g. `ice.strict > 0.05`, `rse.overall >= 4.2`,
 * `lineage.teacher != null`. Parsed strictly: an unknown metric, an operator that does not fit the
 * metric's type or a malformed value is an error, never a threshold that silently never trips.
 */

export type ThresholdOperator = ">" | ">=" | "<" | "<=" | "==" | "!=";

/** Numeric metrics; `.lower` / `.upper` read the bounds of the 95% interval. */
const numericMetricBases = [
  "ice.loose",
  "ice.strict",
  "ice.hard",
  "rse.overall",
  "rse.style",
  "rse.logic",
  "rse.content",
] as const;

export const numericMetrics: readonly string[] = numericMetricBases.flatMap((base) => [
  base,
  `${base}.lower`,
  `${base}.upper`,
]);

/** Metrics whose value is a name or null. */
export const nameMetrics: readonly string[] = ["lineage.teacher"];

export const metricNames: readonly string[] = [...numericMetrics, "lineage.pValue", ...nameMetrics];

/** The result kinds thresholds read; a metric's kind is its first part (`ice.strict` -> `ice`). */
export type ThresholdKind = "ice" | "rse" | "lineage";

/** The kind of result a threshold is evaluated against. */
export function thresholdKind(threshold: Pick<Threshold, "metric">): ThresholdKind {
  return threshold.metric.split(".")[0] as ThresholdKind;
}

/** The metric names a result of `kind` answers. */
export function metricsOfKind(kind: ThresholdKind): string[] {
  return metricNames.filter((metric) => metric.startsWith(`${kind}.`));
}

export interface Threshold {
  /** The expression as written. */
  source: string;
  metric: string;
  operator: ThresholdOperator;
  value: number | string | null;
}

const expressionPattern = /^\s*([A-Za-z][A-Za-z0-9_.]*)\s*(>=|<=|==|!=|>|<)\s*(.+?)\s*$/;

/**
 * Parses one threshold expression. Throws an Error whose message is the reason alone (the caller
 * adds the file, line and field).
 */
export function parseThreshold(source: string): Threshold {
  const match = expressionPattern.exec(source);
  if (!match) {
    throw new Error(
      `cannot parse threshold "${source}": write "<metric> <operator> <value>", e.g. "ice.strict > 0.05"`,
    );
  }
  const [, metric = "", operator = "", rawValue = ""] = match;
  if (!metricNames.includes(metric)) {
    const hint = closestName(metric, metricNames);
    throw new Error(
      hint
        ? `unknown metric "${metric}" (did you mean "${hint}"?)`
        : `unknown metric "${metric}"; known: ${metricNames.join(", ")}`,
    );
  }
  const typedOperator = operator as ThresholdOperator;
  if (nameMetrics.includes(metric)) {
    if (typedOperator !== "==" && typedOperator !== "!=") {
      throw new Error(`"${metric}" is a name or null: compare it with == or !=, not ${operator}`);
    }
    return { source, metric, operator: typedOperator, value: parseNameValue(rawValue) };
  }
  // ICE rates may be written as the summary prints them: "5%" is 0.05. Nothing else takes a percent
  // (RSE scores are on 1..5, a p-value is a probability written as one).
  const percent = /^(.+?)\s*%$/.exec(rawValue);
  if (percent !== null && !metric.startsWith("ice.")) {
    throw new Error(
      `"${metric}" is not a rate: write it without %, e.g. "${metric} ${operator} ${examplePlain(metric)}"`,
    );
  }
  const number = Number(percent === null ? rawValue : percent[1]);
  const value = percent === null ? number : number / 100;
  if (rawValue === "" || !Number.isFinite(value)) {
    throw new Error(`"${metric}" is a number: "${rawValue}" is not a number`);
  }
  return { source, metric, operator: typedOperator, value };
}

function examplePlain(metric: string): string {
  return metric === "lineage.pValue" ? "0.05" : "4.2";
}

function parseNameValue(rawValue: string): string | null {
  if (rawValue === "null") return null;
  const quoted = /^"([^"]*)"$|^'([^']*)'$/.exec(rawValue);
  if (quoted) return quoted[1] ?? quoted[2] ?? "";
  if (/^[A-Za-z0-9_.:/@-]+$/.test(rawValue)) return rawValue;
  throw new Error(`cannot read "${rawValue}": write null, a model name, or a quoted string`);
}

/**
 * The thresholds of a config combined with those given as flags: a flag threshold replaces every base
 * threshold on the same metric with the same operator (`--fail-on "ice.strict > 0.1"` replaces the
 * config's `ice.strict > 0.05`), and is added otherwise. The remaining base thresholds come first, in
 * their order, then the flags' in theirs.
 */
export function combineThresholds(base: readonly Threshold[], flags: readonly Threshold[]): Threshold[] {
  const key = (threshold: Threshold) => `${threshold.metric} ${threshold.operator}`;
  const replaced = new Set(flags.map(key));
  return [...base.filter((threshold) => !replaced.has(key(threshold))), ...flags];
}

/** True when `actual` crosses the threshold. A missing metric never crosses (the caller reports it). */
export function crosses(threshold: Threshold, actual: number | string | null): boolean {
  const expected = threshold.value;
  switch (threshold.operator) {
    case "==":
      return actual === expected;
    case "!=":
      return actual !== expected;
  }
  if (typeof actual !== "number" || typeof expected !== "number") return false;
  switch (threshold.operator) {
    case ">":
      return actual > expected;
    case ">=":
      return actual >= expected;
    case "<":
      return actual < expected;
    case "<=":
      return actual <= expected;
  }
}
