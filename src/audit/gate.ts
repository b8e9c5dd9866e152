/**
 * Evaluates `fail-on` thresholds against result JSON: each ICE and RSE threshold against every
 * target's result, each lineage threshold against every attributed model. A threshold that cannot
 * be evaluated (the result lacks the metric, or holds NaN or another non-finite number) is reported as
 * unmeasured, and the gate fails closed.
 *
 * Answers an LLM judge could not judge leave the scored subset, so the gate reads the measured subset
 * only. That subset is trusted only while the failures cannot change the outcome: for the ICE rates
 * (`ice.loose|strict|hard`) the check is repeated with every failed answer counted as a claim and as no
 * claim, and a threshold whose outcome differs between the two is unmeasured; for every other ICE or
 * RSE metric (means, interval bounds) a judge that failed on more than `maxJudgeFailureShare` of the
 * answers makes the metric unmeasured (for RSE, the answers against the primary reference, whose
 * scores the `rse.*` metrics are). Either way the check carries a note ("judge failed on 5 of 50
 * answers").
 */
import { crosses, type Threshold } from "../config/thresholds.ts";
import { toBounds } from "../report/result-schema.ts";
import { escapeMarkdownInlineForTerminal } from "../text/markdown-inline.ts";
import { formatGateValue } from "./gate-value.ts";

/** One result the gate reads, with the name of what it measured (target label or corpus). */
export interface GateInput {
  subject: string;
  result: Record<string, unknown>;
}

export interface GateCheck {
  threshold: string;
  /** The threshold's metric, e.g. "rse.overall" or "lineage.pValue" (it says how to write the value). */
  metric: string;
  subject: string;
  actual: number | string | null | undefined;
  crossed: boolean;
  unmeasured: boolean;
  /** Why the check is unmeasured, when it is. */
  reason?: string;
  /** For example "judge failed on 5 of 50 answers" (only when the judge failed on some). */
  note?: string;
}

/**
 * The largest share of answers an LLM judge may fail on before a metric without worst-case bounds
 * (RSE scores, interval bounds) counts as unmeasured.
 */
export const maxJudgeFailureShare = 0.05;

/**
 * How many answers the judge of a result judged and failed on, over the answers the gated scores are
 * computed from: an ICE result's answers (`judgeErrors`), an RSE result's items against its primary
 * reference (`byReference[primaryReference]`), whose scores are the result's top-level `scores`.
 */
export interface JudgeCoverage {
  judged: number;
  failed: number;
  /** Answers the metric was computed over plus the failed ones. */
  total: number;
  /** RSE with more than one reference: the failures over every reference's items. */
  allReferences?: { failed: number; total: number; references: number };
}

function whole(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/** The judge coverage of an RSE result over its primary reference, and over all its references. */
function rseCoverage(result: Record<string, unknown>, judged: number): JudgeCoverage {
  const allFailed = whole(asRecord(result.failures).judge) ?? 0;
  const items = Array.isArray(result.items) ? result.items.map(asRecord) : [];
  const allTotal = Math.max(items.length, judged + allFailed);
  const references: unknown[] = Array.isArray(result.references) ? result.references : [];
  const primary =
    typeof result.primaryReference === "string"
      ? result.primaryReference
      : typeof references[0] === "string"
        ? references[0]
        : undefined;
  if (primary === undefined) return { judged, failed: allFailed, total: allTotal };
  // The statistics' own count for the primary reference; else count its items.
  const summary = asRecord(asRecord(result.byReference)[primary]);
  const failed =
    whole(summary.judgeErrors) ??
    items.filter((item) => item.reference === primary && item.scores === null).length;
  const coverage: JudgeCoverage = { judged, failed, total: judged + failed };
  if (references.length <= 1) return coverage;
  return {
    ...coverage,
    allReferences: { failed: allFailed, total: allTotal, references: references.length },
  };
}

/** The judge coverage of an ICE or RSE result; undefined when it does not say. */
export function judgeCoverage(result: Record<string, unknown>): JudgeCoverage | undefined {
  const judged = whole(result.n);
  if (judged === undefined) return undefined;
  if (result.kind === "ice") {
    const failed = whole(result.judgeErrors) ?? 0;
    return { judged, failed, total: judged + failed };
  }
  if (result.kind === "rse") return rseCoverage(result, judged);
  return undefined;
}

/**
 * "judge failed on 5 of 50 answers" (with several RSE references: "... against the primary reference
 * (7 of 500 over all 10 references)"), or undefined when it failed on none.
 */
export function judgeFailureNote(coverage: JudgeCoverage | undefined): string | undefined {
  if (coverage === undefined) return undefined;
  const all = coverage.allReferences;
  if (coverage.failed === 0 && (all === undefined || all.failed === 0)) return undefined;
  const note = `judge failed on ${coverage.failed} of ${coverage.total} answers`;
  if (all === undefined) return note;
  return `${note} against the primary reference (${all.failed} of ${all.total} over all ${all.references} references)`;
}

const iceRates = new Set(["ice.loose", "ice.strict", "ice.hard"]);

/**
 * Why judge failures make this check unmeasured, or undefined when its outcome stands whatever the
 * failed answers held.
 */
function judgeFailureReason(
  threshold: Threshold,
  actual: number,
  coverage: JudgeCoverage | undefined,
): string | undefined {
  if (coverage === undefined || coverage.failed === 0) return undefined;
  const note = judgeFailureNote(coverage);
  if (iceRates.has(threshold.metric)) {
    const { judged, failed } = coverage;
    const counted = actual * judged;
    const lowest = counted / (judged + failed);
    const highest = (counted + failed) / (judged + failed);
    if (crosses(threshold, lowest) === crosses(threshold, highest)) return undefined;
    return `${note}, and those answers could change the outcome (${lowest.toFixed(3)} - ${highest.toFixed(3)})`;
  }
  if (coverage.failed / coverage.total <= maxJudgeFailureShare) return undefined;
  return `${note}, more than ${maxJudgeFailureShare * 100}%`;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

/** The value of a numeric metric (`ice.strict`, `rse.overall.lower`) in a result, if present. */
export function numericMetric(result: Record<string, unknown>, metric: string): number | undefined {
  const [, name = "", bound] = metric.split(".");
  if (bound === undefined) {
    const value = asRecord(result.scores)[name];
    return typeof value === "number" && Number.isFinite(value) ? value : undefined;
  }
  const interval = toBounds(asRecord(result.intervals)[name]);
  if (!interval) return undefined;
  return bound === "lower" ? interval.low : interval.high;
}

/**
 * Why a result holds no value for a metric: an interval's own note when it has one ("no interval: too
 * few conversations (2 < 5)"), else "the result has no such value".
 */
function missingValueReason(result: Record<string, unknown>, metric: string): string {
  const [, name = "", bound] = metric.split(".");
  if (bound !== undefined) {
    const note = asRecord(asRecord(result.intervals)[name]).note;
    if (typeof note === "string" && note.trim() !== "") return `no interval: ${note}`;
  }
  return "the result has no such value";
}

/**
 * Why a lineage attribution was not tested, or undefined when it was. The lineage module gives
 * `excess` NaN (`null` in the JSON), score 0 and p-value 1 on every ranking entry when no test could be made (fewer
 * than 5 models, no shared answers): its `teacher: null` and `pValue: 1` then mean "not measured", not
 * "no teacher", and a gate that read them would pass by not measuring.
 */
function untestedReason(
  attribution: Record<string, unknown>,
  result: Record<string, unknown>,
): string | undefined {
  const ranking = Array.isArray(attribution.ranking) ? attribution.ranking.map(asRecord) : [];
  const untested = (excess: unknown) =>
    excess === null || (typeof excess === "number" && Number.isNaN(excess));
  if (ranking.length === 0 || !ranking.every((entry) => untested(entry.excess))) return undefined;
  const note = asRecord(result.method).note;
  const why =
    typeof note === "string" && /fewer than 5 models/.test(note)
      ? "fewer than 5 models in the corpus, so no between-model reference"
      : "no between-model test could be made for this model";
  return `not tested: ${why} (its teacher null and p-value 1 are placeholders)`;
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
          const actual =
            raw === null || typeof raw === "string" || (typeof raw === "number" && Number.isFinite(raw))
              ? raw
              : undefined;
          const reason =
            actual === undefined
              ? `the result has no ${field} for this model`
              : untestedReason(attribution, input.result);
          checks.push({
            threshold: threshold.source,
            metric: threshold.metric,
            subject: String(attribution.model ?? input.subject),
            actual,
            crossed: reason === undefined && actual !== undefined && crosses(threshold, actual),
            unmeasured: reason !== undefined,
            ...(reason === undefined ? {} : { reason }),
          });
        }
        continue;
      }
      const actual = numericMetric(input.result, threshold.metric);
      const coverage = judgeCoverage(input.result);
      const note = judgeFailureNote(coverage);
      const missing = actual === undefined ? missingValueReason(input.result, threshold.metric) : undefined;
      const reason =
        actual === undefined
          ? note === undefined
            ? missing
            : `${missing} (${note})`
          : judgeFailureReason(threshold, actual, coverage);
      checks.push({
        threshold: threshold.source,
        metric: threshold.metric,
        subject: input.subject,
        actual,
        crossed: reason === undefined && actual !== undefined && crosses(threshold, actual),
        unmeasured: reason !== undefined,
        ...(reason === undefined ? {} : { reason }),
        ...(note === undefined ? {} : { note }),
      });
    }
  }
  return checks;
}

/**
 * Markdown lines describing the gate's outcome, for the terminal. Subjects (target labels, corpus model
 * names), string values (a teacher name) and notes go through `escapeMarkdownInlineForTerminal`: no pipe, line break, markup
 * or HTML from a model name reaches the table.
 */
export function gateSummary(checks: readonly GateCheck[]): string {
  if (checks.length === 0) return "No fail-on thresholds.";
  const withNotes = checks.some((check) => check.note !== undefined || check.reason !== undefined);
  const lines = withNotes
    ? ["| Threshold | Subject | Value | Outcome | Note |", "|---|---|---:|---|---|"]
    : ["| Threshold | Subject | Value | Outcome |", "|---|---|---:|---|"];
  for (const check of checks) {
    const value = escapeMarkdownInlineForTerminal(formatGateValue(check));
    const outcome = check.unmeasured ? "NOT MEASURED" : check.crossed ? "CROSSED" : "ok";
    const row = `| \`${check.threshold}\` | ${escapeMarkdownInlineForTerminal(check.subject)} | ${value} | ${outcome} |`;
    lines.push(
      withNotes ? `${row} ${escapeMarkdownInlineForTerminal(check.reason ?? check.note ?? "")} |` : row,
    );
  }
  return lines.join("\n");
}
