/**
 * `--fail-on "<metric> <operator> <value>"` (repeatable): parsed by the config's threshold parser and
 * evaluated by the audit's gate, so a flag means what the same line under `fail-on:` means. Exit 1
 * when a check is crossed; exit 3 when one is NOT MEASURED (a gate never passes by not measuring).
 */
import { Option } from "commander";
import type { GateCheck, GateInput } from "../audit/gate.ts";
import { formatGateValue } from "../audit/gate-value.ts";
import {
  metricsOfKind,
  parseThreshold,
  type Threshold,
  type ThresholdKind,
  thresholdKind,
} from "../config/thresholds.ts";
import { InputError, RuntimeFailure, ThresholdCrossed } from "../errors.ts";
import { terminalSafe } from "../text/terminal-text.ts";

const examples: Record<ThresholdKind, string> = {
  ice: "ice.strict > 0.05",
  rse: "rse.overall >= 4.2",
  lineage: "lineage.teacher != null",
};

const repeatable = (value: string, previous: string[] = []): string[] => [...previous, value];

/**
 * The `--fail-on <expression>` option, for `.addOption()`. `kind` is the result kind the command writes
 * (its metrics are listed in the help); none for `audit`, which takes every kind its config evaluates.
 */
export function failOnOption(kind?: ThresholdKind): Option {
  const metrics = kind === undefined ? "ice.*, rse.* or lineage.*" : metricSummary(kind);
  return new Option(
    "--fail-on <expression>",
    `exit 1 when "<metric> <operator> <value>" is crossed, e.g. "${examples[kind ?? "ice"]}" ` +
      `(repeatable; written as in a config's fail-on list; metrics: ${metrics})`,
  ).argParser(repeatable);
}

/** "ice.loose, ice.strict, ice.hard, each also .lower / .upper" */
function metricSummary(kind: ThresholdKind): string {
  const metrics = metricsOfKind(kind);
  const bases = metrics.filter((metric) => !/\.(lower|upper)$/.test(metric));
  const bounds = bases.length < metrics.length ? ", each also .lower / .upper" : "";
  return `${bases.join(", ")}${bounds}`;
}

/**
 * The thresholds of the `--fail-on` values; InputError (exit 2) naming the flag for a bad expression,
 * or, when `kind` is given, for a metric the command's result does not have. Call it before any model.
 */
export function parseFailOnFlags(values: readonly string[] | undefined, kind?: ThresholdKind): Threshold[] {
  return (values ?? []).map((source) => {
    let threshold: Threshold;
    try {
      threshold = parseThreshold(source);
    } catch (error) {
      throw new InputError(`--fail-on "${source}": ${(error as Error).message}`);
    }
    if (kind !== undefined && thresholdKind(threshold) !== kind)
      throw new InputError(
        `--fail-on "${source}": ${threshold.metric} is not a metric of the ${kind} result this command writes; ` +
          `use one of ${metricsOfKind(kind).join(", ")}`,
      );
    return threshold;
  });
}

/**
 * Exit 1 (ThresholdCrossed) when a check crossed, else exit 3 (RuntimeFailure) when one is unmeasured.
 * A crossed check wins (it is the finding), and its line then counts the unmeasured ones too.
 */
export function failOnGateOutcome(checks: readonly GateCheck[]): void {
  const crossed = checks.filter((check) => check.crossed);
  const unmeasuredCount = checks.filter((check) => check.unmeasured).length;
  if (crossed.length > 0) {
    const first = crossed[0]!;
    const alsoUnmeasured =
      unmeasuredCount === 0
        ? ""
        : `; ${unmeasuredCount} other check(s) could not be evaluated (see the table)`;
    throw new ThresholdCrossed(
      `fail-on: ${crossed.length} threshold check(s) crossed, first: ${first.threshold} for ${first.subject} (value ${formatGateValue(first)})${alsoUnmeasured}`,
    );
  }
  const unmeasured = checks.find((check) => check.unmeasured);
  if (unmeasured !== undefined)
    throw new RuntimeFailure(
      `fail-on: ${unmeasured.threshold} could not be evaluated for ${unmeasured.subject}: ${unmeasured.reason ?? "the result has no such value"}`,
    );
}

/**
 * After a single command wrote its result: evaluates the `--fail-on` thresholds against it, prints the
 * audit's fail-on table (unless quiet) on `stream` (stderr when the result went to stdout), and throws
 * as the audit does. Nothing without thresholds.
 * Async only to load the gate (and the report code under it) when there are thresholds to check.
 */
export async function checkFailOn(
  thresholds: readonly Threshold[],
  input: { subject: string; result: object },
  quiet: boolean,
  stream: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  if (thresholds.length === 0) return;
  const { evaluateGate, gateSummary } = await import("../audit/gate.ts");
  const gateInput: GateInput = { subject: input.subject, result: input.result as Record<string, unknown> };
  const checks = evaluateGate(thresholds, [gateInput]);
  if (!quiet) stream.write(`\n## fail-on\n\n${terminalSafe(gateSummary(checks))}\n`);
  failOnGateOutcome(checks);
}
