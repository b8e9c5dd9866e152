/**
 * The summary that `ice judge` and `ice run` print: rates with their template-clustered 95% intervals
 * ("n/a (too few templates)" below the minimum number of templates, as RSE says for conversations),
 * counts, the developers the strict answers claim, judge failures, languages, priming and judge agreement.
 */
import type { IceResult } from "../../metrics/ice.ts";
import { claimedDevelopers, claimedDevelopersText } from "../../metrics/ice-claimed-developers.ts";
import type { Interval } from "../../metrics/stats.ts";

function percent(value: number): string {
  return Number.isFinite(value) ? `${(value * 100).toFixed(1)}%` : "n/a";
}

/** "low - high" in percent; "n/a (too few templates)" when the interval has no bounds for that reason. */
function intervalText(interval: Interval): string {
  if (Number.isFinite(interval.low) && Number.isFinite(interval.high))
    return `${percent(interval.low)} - ${percent(interval.high)}`;
  const reason = interval.note?.replace(/\s*\(.*\)$/, "");
  return reason === undefined ? "n/a" : `n/a (${reason})`;
}

/** Cohen's kappa for the summary; undefined (no judged pair, or no variation) reads "n/a", as `null` in JSON. */
function kappaText(kappa: number | null | undefined): string {
  return typeof kappa === "number" && Number.isFinite(kappa) ? kappa.toFixed(2) : "n/a";
}

/**
 * Why the rates have no interval and what gives one: an interval resamples templates and needs 5
 * (`ice run`'s default budget of 200 asks 4 templates x 50 questions). Undefined when the intervals exist.
 */
function missingIntervalHint(result: IceResult): string | undefined {
  const found = /too few templates \((\d+) < (\d+)\)/.exec(result.intervals.strict.note ?? "");
  if (found === null) return undefined;
  const [templates, needed] = [Number(found[1]), Number(found[2])];
  if (result.source.command === "ice run" && templates > 0) {
    const perTemplate = Math.ceil((result.n + result.judgeErrors) / templates);
    return `  no 95% interval: the answers come from ${templates} templates and an interval needs ${needed}; each template took ${perTemplate} queries, so --budget ${needed * perTemplate} or more gives one`;
  }
  return `  no 95% interval: the answers come from ${templates} templates and an interval needs ${needed}`;
}

/** The short summary printed after `ice judge` and `ice run`. */
export function summaryTable(result: IceResult, outFile: string): string {
  const lines = [
    `ICE (${result.identity}, judge ${result.judge}): ${result.n} answers judged${result.judgeErrors > 0 ? `, ${result.judgeErrors} judge errors (not scored)` : ""}`,
    "",
    "  score   rate     95% CI (templates resampled)   count",
  ];
  for (const metric of ["loose", "strict", "hard"] as const) {
    const interval = result.intervals[metric];
    lines.push(
      `  ${metric.padEnd(7)} ${percent(result.scores[metric]).padStart(6)}   ${intervalText(interval).padEnd(30)} ${result.counts[metric]}`,
    );
  }
  const hint = missingIntervalHint(result);
  if (hint !== undefined) lines.push(hint);
  const claimed = claimedDevelopers(result.items, result.identity);
  if (claimed.length > 0) lines.push(`  strict answers claim: ${claimedDevelopersText(claimed)} (answers)`);
  const failed = result.judgeErrors;
  if (failed > 0 && result.n > 0) {
    // The rates read the judged answers only; the failed ones could hold claims (a judge can be steered
    // into failing on exactly those), so say how far they could move the strict rate.
    const total = result.n + failed;
    const counted = result.scores.strict * result.n;
    lines.push(
      "",
      `  judge failed on ${failed} of ${total} answers (not scored): counting them, strict could be anywhere in ` +
        `${percent(counted / total)} - ${percent((counted + failed) / total)}`,
    );
  }
  lines.push("");
  for (const row of result.breakdowns.language) {
    lines.push(
      `  language ${row.key}: n ${row.n}, loose ${percent(row.loose)}, strict ${percent(row.strict)}`,
    );
  }
  const priming = result.priming.strict;
  if (priming.vendorNamingRows > 0 && priming.neutralRows > 0) {
    lines.push(
      `  priming (strict): vendor-naming templates ${percent(priming.vendorNaming)} vs neutral ${percent(priming.neutral)}, difference ${percent(priming.difference)} (95% CI ${intervalText(priming.interval)})`,
    );
  }
  if (result.agreement !== undefined) {
    const { loose, strict } = result.agreement;
    lines.push(
      `  agreement ${result.agreement.judges.join(" vs ")}: loose ${percent(loose.raw)} (kappa ${kappaText(loose.kappa)}), strict ${percent(strict.raw)} (kappa ${kappaText(strict.kappa)})`,
    );
  }
  // Judged empty answers only: an item the judge failed on is counted among the judge errors above.
  const empty = result.items.filter(
    (item) => item.response.trim().length === 0 && item.judgeError === undefined,
  ).length;
  if (empty > 0)
    lines.push(`  ${empty} empty answers judged (no claim, so consistent; kept in the denominator)`);
  const flagged = result.items.filter((item) => item.addressesJudge).length;
  if (flagged > 0) lines.push(`  ${flagged} answers address the judge (flagged, not obeyed)`);
  lines.push("", `  wrote ${outFile}`, "");
  return lines.join("\n");
}
