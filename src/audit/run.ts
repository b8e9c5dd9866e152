/**
 * `distillscope audit -c distillscope.yaml`: runs every evaluation the config names for every target
 * through the library functions of each area (all model calls go through the engine and the store,
 * so an audit is cached and resumable), writes each result JSON and the report (HTML, Markdown,
 * evidence manifest) into the output directory, and evaluates the `fail-on` gate.
 */
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadConfig } from "../config/load.ts";
import type { AuditConfig } from "../config/schema.ts";
import { openStore } from "../engine/index.ts";
import { makeFolder } from "../files/make-folder.ts";
import { renderMarkdown } from "../report/markdown.ts";
import { writeReport } from "../report/write-report.ts";
import { evaluateGate, type GateCheck, gateSummary, judgeCoverage, judgeFailureNote } from "./gate.ts";
import { ConfigFieldError, checkConfigModels } from "./models.ts";
import { runIceStep, runLineageStep, runRseStep, type StepContext } from "./steps.ts";

export interface AuditOptions {
  configPath: string;
  /** DISTILLSCOPE_HOME (store and caches). */
  home: string;
  environment?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void;
}

export interface AuditResultFile {
  kind: "ice" | "rse" | "lineage";
  subject: string;
  path: string;
}

export interface AuditOutcome {
  config: AuditConfig;
  outDirectory: string;
  results: AuditResultFile[];
  checks: GateCheck[];
  crossed: GateCheck[];
  unmeasured: GateCheck[];
  /** Each ICE/RSE result whose LLM judge failed on some answers (those answers are not scored). */
  judgeFailures: AuditJudgeFailure[];
  /** The report's Markdown followed by the gate table: what the CLI prints. */
  summary: string;
  htmlPath?: string;
  markdownPath?: string;
  manifestPath?: string;
}

/** An evaluation whose LLM judge failed on `failed` of `total` answers; `judged` 0 means nothing was measured. */
export interface AuditJudgeFailure {
  kind: "ice" | "rse";
  subject: string;
  judge: string;
  judged: number;
  failed: number;
  total: number;
  /** The result file, which keeps each judge error. */
  path: string;
}

/** The judge failures of the saved ICE and RSE results. */
export function judgeFailuresOf(
  results: readonly AuditResultFile[],
  inputs: ReadonlyArray<{ result: Record<string, unknown> }>,
): AuditJudgeFailure[] {
  const failures: AuditJudgeFailure[] = [];
  for (const [position, file] of results.entries()) {
    const result = inputs[position]?.result ?? {};
    if (file.kind === "lineage") continue;
    const coverage = judgeCoverage(result);
    if (coverage === undefined || coverage.failed === 0) continue;
    failures.push({
      kind: file.kind,
      subject: file.subject,
      judge: String(result.judge ?? "judge"),
      ...coverage,
      path: file.path,
    });
  }
  return failures;
}

/** Markdown lines naming every evaluation whose judge failed on some answers. */
export function judgeFailureSummary(failures: readonly AuditJudgeFailure[]): string {
  return failures
    .map(
      (failure) =>
        `- ${failure.kind} ${failure.subject.replace(/[\r\n]+/g, " ")}: ${judgeFailureNote(failure)} ` +
        `(${failure.judge}); those answers are not scored, so the metrics and the fail-on checks read the ` +
        "judged answers only",
    )
    .join("\n");
}

/** File-name-safe form of a target label. */
export function fileSafe(text: string): string {
  return (
    text
      .replace(/[^A-Za-z0-9._-]+/g, "_")
      .replace(/^_+|_+$/g, "")
      .slice(0, 80) || "target"
  );
}

/** Runs the audit. Throws InputError (config, exit 2) or RuntimeFailure (exit 3); never exits. */
export async function runAudit(options: AuditOptions): Promise<AuditOutcome> {
  const loaded = loadConfig(options.configPath);
  const { config } = loaded;
  try {
    checkConfigModels(config, options.environment ?? process.env);
  } catch (error) {
    if (error instanceof ConfigFieldError) throw loaded.locate(error.path, error.message);
    throw error;
  }
  const log = options.log ?? (() => {});
  const outDirectory = resolve(loaded.directory, config.report.out);
  const resultsDirectory = join(outDirectory, "results");
  makeFolder(resultsDirectory);
  const store = openStore(resolve(options.home));
  const context: StepContext = {
    config,
    configDirectory: loaded.directory,
    store,
    environment: options.environment ?? process.env,
    signal: options.signal,
    log,
  };
  const results: AuditResultFile[] = [];
  const inputs: Array<{ subject: string; result: Record<string, unknown> }> = [];
  const save = (kind: AuditResultFile["kind"], subject: string, result: Record<string, unknown>) => {
    const path = join(resultsDirectory, `${kind}-${fileSafe(subject)}.json`);
    writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`);
    results.push({ kind, subject, path });
    inputs.push({ subject, result });
  };
  try {
    for (const [index, target] of config.targets.entries()) {
      const label = target.label ?? target.id;
      if (config.evaluations.ice) {
        log(`ice: ${label}`);
        save("ice", label, await runIceStep(context, index));
      }
      if (config.evaluations.rse) {
        log(`rse: ${label}`);
        save("rse", label, await runRseStep(context, index));
      }
    }
    if (config.evaluations.lineage) {
      log(`lineage: ${config.evaluations.lineage.corpus}`);
      save("lineage", "lineage", await runLineageStep(context));
    }
  } finally {
    store.close();
  }

  const checks = evaluateGate(loaded.thresholds, inputs);
  const judgeFailures = judgeFailuresOf(results, inputs);
  for (const failure of judgeFailures)
    log(`${failure.kind}: ${failure.subject}: ${judgeFailureNote(failure)}`);
  const title = `distillscope audit: ${config.targets.map((target) => target.label ?? target.id).join(", ")}`;
  const written = await writeReport({
    results: results.map((file) => file.path),
    htmlPath: config.report.html ? join(outDirectory, "report.html") : undefined,
    // The Markdown is always rendered for the terminal; written to disk only when asked for.
    markdownPath: config.report.markdown || !config.report.html ? join(outDirectory, "report.md") : undefined,
    manifest: true,
    config,
    configPath: loaded.path,
    title,
  });
  const summary = [
    renderMarkdown(written.model, { title }).trimEnd(),
    "",
    "## fail-on",
    "",
    gateSummary(checks),
    ...(judgeFailures.length > 0 ? ["", "## judge failures", "", judgeFailureSummary(judgeFailures)] : []),
  ].join("\n");
  return {
    config,
    outDirectory,
    results,
    checks,
    crossed: checks.filter((check) => check.crossed),
    unmeasured: checks.filter((check) => check.unmeasured),
    judgeFailures,
    summary,
    htmlPath: written.htmlPath,
    markdownPath: written.markdownPath,
    manifestPath: written.manifestPath,
  };
}
