/**
 * `distillscope audit -c distillscope.yaml`: runs every evaluation the config names for every target
 * through the library functions of each area (all model calls go through the engine and the store,
 * so an audit is cached and resumable), writes each result JSON and the report (HTML, Markdown,
 * evidence manifest) into the output directory, and evaluates the `fail-on` gate.
 */
import { writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { loadConfig } from "../config/load.ts";
import type { AuditConfig } from "../config/schema.ts";
import { combineThresholds, type Threshold, thresholdKind } from "../config/thresholds.ts";
import { openStore } from "../engine/index.ts";
import { InputError } from "../errors.ts";
import { folderProblem, makeFolder } from "../files/make-folder.ts";
import { checkPathArgument } from "../files/path-argument.ts";
import { signInBeforeRequests } from "../models/azure-entra-id.ts";
import { escapeMarkdownInline, renderMarkdown } from "../report/markdown.ts";
import { writeReport } from "../report/write-report.ts";
import { evaluateGate, type GateCheck, gateSummary, judgeCoverage, judgeFailureNote } from "./gate.ts";
import { ConfigFieldError, checkConfigModels } from "./models.ts";
import { type SilentModel, silentModels } from "./silent-models.ts";
import { runIceStep, runLineageStep, runRseStep, type StepContext } from "./steps.ts";

export interface AuditOptions {
  configPath: string;
  /**
   * `--fail-on` thresholds: added to the config's, each replacing a config threshold on the same metric
   * with the same operator (combineThresholds).
   */
  flagThresholds?: readonly Threshold[];
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
  /**
   * Models that answered nothing (an RSE target or reference without one usable answer, an ICE target
   * without one answer): nothing was measured against them; the CLI exits 3 for them.
   */
  silentModels: SilentModel[];
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
    // Listed when the judge failed on any answer, also on a reference other than RSE's primary one.
    if (judgeFailureNote(coverage) === undefined || coverage === undefined) continue;
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
        `- ${failure.kind} ${escapeMarkdownInline(failure.subject)}: ${escapeMarkdownInline(judgeFailureNote(failure) ?? "")} ` +
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

/**
 * The result file names (`<kind>-<file-safe subject>.json`; `lineage.json` for the lineage) of an audit's results, in order, distinct
 * even where two subjects map to one file-safe name (`team/a` and `team_a`) or differ only in letter
 * case (one file on case-insensitive file systems): the first keeps the plain name, each later one
 * gets the first free `-2`, `-3`... suffix. A subject whose name collides with no other keeps its
 * plain name, so a config without collisions writes the same files as before.
 */
export function resultFileNames(
  results: ReadonlyArray<{ kind: AuditResultFile["kind"]; subject: string }>,
): string[] {
  // The lineage step has one subject, "lineage": its file is lineage.json, not lineage-lineage.json.
  const plain = results.map((result) =>
    result.kind === "lineage" ? "lineage" : `${result.kind}-${fileSafe(result.subject)}`,
  );
  const key = (name: string) => name.toLowerCase();
  const reserved = new Set(plain.map(key));
  const taken = new Set<string>();
  return plain.map((name) => {
    let candidate = name;
    if (taken.has(key(candidate)))
      for (let count = 2; taken.has(key(candidate)) || reserved.has(key(candidate)); count += 1)
        candidate = `${name}-${count}`;
    taken.add(key(candidate));
    return `${candidate}.json`;
  });
}

/** Runs the audit. Throws InputError (config, exit 2) or RuntimeFailure (exit 3); never exits. */
export async function runAudit(options: AuditOptions): Promise<AuditOutcome> {
  if (options === null || typeof options !== "object")
    throw new InputError("runAudit needs { configPath, home } (the config file and the store's home)");
  checkPathArgument(options.home, "the store home");
  const loaded = loadConfig(options.configPath);
  const { config } = loaded;
  const flagThresholds = options.flagThresholds ?? [];
  // As for the config's own list: a threshold on an evaluation that does not run would never be checked.
  for (const threshold of flagThresholds)
    if (config.evaluations[thresholdKind(threshold)] === undefined)
      throw new InputError(
        `--fail-on "${threshold.source}": threshold on ${threshold.metric} but evaluations.${thresholdKind(threshold)} ` +
          `is not configured in ${basename(loaded.path)}; add it there or drop the flag`,
      );
  const thresholds = combineThresholds(loaded.thresholds, flagThresholds);
  let models: ReturnType<typeof checkConfigModels>;
  try {
    models = checkConfigModels(config, options.environment ?? process.env);
  } catch (error) {
    if (error instanceof ConfigFieldError) throw loaded.locate(error.path, error.message);
    throw error;
  }
  // A missing or broken Microsoft Entra ID sign-in (azure: without a key) stops the audit here, before any
  // step spends anything on another model; the token is kept for the steps' requests.
  await signInBeforeRequests(models);
  const log = options.log ?? (() => {});
  const outDirectory = resolve(loaded.directory, config.report.out);
  const resultsDirectory = join(outDirectory, "results");
  try {
    makeFolder(resultsDirectory);
  } catch (error) {
    throw loaded.locate(
      ["report", "out"],
      `report.out ${config.report.out}: ${folderProblem(error)}; give report.out a folder that can be made and written`,
    );
  }
  const store = openStore(resolve(options.home));
  const context: StepContext = {
    config,
    configDirectory: loaded.directory,
    store,
    environment: options.environment ?? process.env,
    signal: options.signal,
    log,
    configName: basename(loaded.path),
  };
  // Every step, planned first so each result's file name is known (and distinct) before any runs.
  const steps: Array<{
    kind: AuditResultFile["kind"];
    subject: string;
    progress: string;
    run: () => Promise<Record<string, unknown>>;
  }> = [];
  for (const [index, target] of config.targets.entries()) {
    const label = target.label ?? target.id;
    if (config.evaluations.ice)
      steps.push({ kind: "ice", subject: label, progress: label, run: () => runIceStep(context, index) });
    if (config.evaluations.rse)
      steps.push({ kind: "rse", subject: label, progress: label, run: () => runRseStep(context, index) });
  }
  const lineage = config.evaluations.lineage;
  if (lineage)
    steps.push({
      kind: "lineage",
      subject: "lineage",
      progress: typeof lineage.corpus === "string" ? lineage.corpus : lineage.corpus.join(", "),
      run: () => runLineageStep(context),
    });
  const fileNames = resultFileNames(steps);
  const results: AuditResultFile[] = [];
  const inputs: Array<{ subject: string; result: Record<string, unknown> }> = [];
  try {
    for (const [position, step] of steps.entries()) {
      log(`${step.kind}: ${step.progress}`);
      const result = await step.run();
      const path = join(resultsDirectory, fileNames[position]!);
      writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`);
      results.push({ kind: step.kind, subject: step.subject, path });
      inputs.push({ subject: step.subject, result });
    }
  } finally {
    store.close();
  }

  const checks = evaluateGate(thresholds, inputs);
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
    silentModels: silentModels(results),
    summary,
    htmlPath: written.htmlPath,
    markdownPath: written.markdownPath,
    manifestPath: written.manifestPath,
  };
}
