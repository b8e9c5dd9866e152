/**
 * Evaluates `fail-on` thresholds against result JSON: each ICE and RSE threshold against every
 * target's result, each lineage threshold against every attributed model. A threshold that cannot
 * be evaluated (the result lacks the metric) is reported as unmeasured, and the gate fails closed.
 */
import { crosses, type Threshold } from "../config/thresholds.ts";
import { toBounds } from "../report/result-schema.ts";

/** One result the gate reads, with the name of what it measured (target label or corpus). */
export interface GateInput {
  subject: string;
  result: Record<string, unknown>;
}

export interface GateCheck {
  threshold: string;
  subject: string;
  actual: number | string | null | undefined;
  crossed: boolean;
  unmeasured: boolean;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

/** The value of a numeric metric (`ice.strict`, `rse.overall.lower`) in a result, if present. */
export function numericMetric(result: Record<string, unknown>, metric: string): number | undefined {
  const [, name = "", bound] = metric.split(".");
  if (bound === undefined) {
    const value = asRecord(result.scores)[name];
    return typeof value === "number" ? value : undefined;
  }
  const interval = toBounds(asRecord(result.intervals)[name]);
  if (!interval) return undefined;
  return bound === "lower" ? interval.low : interval.high;
}

/** Every (threshold, subject) check; lineage thresholds expand to one check per attributed model. */
export function evaluateGate(thresholds: readonly Threshold[], inputs: readonly GateInput[]): GateCheck[] {
  const checks: GateCheck[] = [];
  for (const threshold of thresholds) {
    const kind = threshold.metric.split(".")[0];
    for (const input of inputs.filter((candidate) => candidate.result.kind === kind)) {
      if (kind === "lineage") {
        const attributions = Array.isArray(input.result.attributions) ? input.result.attributions : [];
        for (const attribution of attributions.map(asRecord)) {
          const field = threshold.metric === "lineage.teacher" ? "teacher" : "pValue";
          const raw = attribution[field];
          const actual = raw === null || typeof raw === "string" || typeof raw === "number" ? raw : undefined;
          checks.push({
            threshold: threshold.source,
            subject: String(attribution.model ?? input.subject),
            actual,
            crossed: actual !== undefined && crosses(threshold, actual),
            unmeasured: actual === undefined,
          });
        }
        continue;
      }
      const actual = numericMetric(input.result, threshold.metric);
      checks.push({
        threshold: threshold.source,
        subject: input.subject,
        actual,
        crossed: actual !== undefined && crosses(threshold, actual),
        unmeasured: actual === undefined,
      });
    }
  }
  return checks;
}

/** Markdown lines describing the gate's outcome. */
export function gateSummary(checks: readonly GateCheck[]): string {
  if (checks.length === 0) return "No fail-on thresholds.";
  const lines = ["| Threshold | Subject | Value | Outcome |", "|---|---|---:|---|"];
  for (const check of checks) {
    const value =
      check.actual === undefined
        ? "-"
        : typeof check.actual === "number"
          ? check.actual.toFixed(3)
          : String(check.actual);
    const outcome = check.unmeasured ? "NOT MEASURED" : check.crossed ? "CROSSED" : "ok";
    lines.push(`| \`${check.threshold}\` | ${check.subject.replace(/\|/g, "\\|")} | ${value} | ${outcome} |`);
  }
  return lines.join("\n");
}
