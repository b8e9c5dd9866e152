/**
 * The library entry point for reports (used by `distillscope report` and by `audit`): validates the
 * results, writes the HTML and Markdown reports, and optionally the evidence manifest.
 *
 * Every input is checked before anything is written. With a manifest, result files outside the report
 * folder are copied into `<folder>/results/` so the folder verifies wherever it is copied; transcripts
 * and the config outside it, and any file reached through a symbolic link out of the folder, are
 * recorded by name and hash only (`external`).
 */
import { copyFileSync, writeFileSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { InputError } from "../errors.ts";
import { makeFolder } from "../files/make-folder.ts";
import { checkPathArgument } from "../files/path-argument.ts";
import type { IceResult as ComputedIceResult } from "../metrics/ice.ts";
import type { LineageResult as ComputedLineageResult } from "../metrics/lineage.ts";
import { checkListOption, checkOptionsObject } from "../options/library-options.ts";
import { optionName, shownValue } from "../options/option-name.ts";
import type { RseResult as ComputedRseResult } from "../rse/run.ts";
import { toolVersion } from "../version.ts";
import { renderHtml } from "./html.ts";
import type { Manifest } from "./manifest.ts";
import { buildManifest, checkEvidenceFile, manifestFileName, placeOfFile } from "./manifest.ts";
import { renderMarkdown } from "./markdown.ts";
import type { ReportModel } from "./report-model.ts";
import { buildReportModel } from "./report-model.ts";
import type { ReportableResult } from "./result-schema.ts";
import { loadResult, parseResult } from "./result-schema.ts";

/** A result as the library returns it (judgeIceAnswers, runIce, runRse, runLineage); validated like parsed JSON. */
export type ComputedResult = ComputedIceResult | ComputedRseResult | ComputedLineageResult;

/**
 * A result given as a file path, as a parsed or computed result, or as both (the path is what the
 * manifest hashes).
 */
export type ReportInput = string | ReportableResult | ComputedResult | { path: string; result?: unknown };

export interface WriteReportOptions {
  results: readonly ReportInput[];
  /** Writes report.html, report.md and manifest.json here (unless the paths below say otherwise). */
  outputDirectory?: string;
  htmlPath?: string;
  markdownPath?: string;
  /** Write manifest.json beside the reports (default: true with outputDirectory, else false). */
  manifest?: boolean;
  /** Transcript files whose hashes go into the manifest. */
  transcripts?: readonly string[];
  /** The config the run used (secrets are scrubbed before it is written). */
  config?: unknown;
  /** The config file, hashed into the manifest. */
  configPath?: string;
  title?: string;
  now?: Date;
}

export interface WrittenReport {
  htmlPath?: string;
  markdownPath?: string;
  manifestPath?: string;
  manifest?: Manifest;
  model: ReportModel;
  htmlBytes?: number;
}

function safeFileName(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 60) || "result";
}

/**
 * Loaded input; `labelSource` is the path to label the result by (none for results given as objects).
 * `write` is what must still be written to `path`: the JSON of a result given as an object, or a copy
 * of a result file that lies outside the report folder.
 */
interface ResolvedInput {
  path: string;
  result: ReportableResult;
  labelSource?: string;
  write?: { json: string } | { copyFrom: string };
}

function objectLabel(result: ReportableResult): string | undefined {
  const record = result as Record<string, unknown>;
  const source = record.source as Record<string, unknown> | undefined;
  for (const value of [record.target, source?.target, source?.model, source?.file])
    if (typeof value === "string") return basename(value);
  return undefined;
}

/**
 * Loads and validates every input, writing nothing. Results given only as objects are to be saved under
 * `<directory>/results/` for hashing; with `copyOutside`, so are copies of result files outside it.
 */
function resolveInputs(
  inputs: readonly ReportInput[],
  directory: string,
  copyOutside: boolean,
): ResolvedInput[] {
  const resultsDirectory = join(directory, "results");
  // Names of inputs already in results/ are taken, so a copy never overwrites one of them.
  const taken = new Set<string>(
    inputs.flatMap((input) => {
      const path = typeof input === "string" ? input : "path" in input ? input.path : undefined;
      return typeof path === "string" && resolve(dirname(path)) === resolve(resultsDirectory)
        ? [basename(path)]
        : [];
    }),
  );
  const resultsPath = (name: string) => {
    const dot = name.lastIndexOf(".");
    const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ""];
    let candidate = `${stem}${extension}`;
    for (let count = 2; taken.has(candidate); count += 1) candidate = `${stem}-${count}${extension}`;
    taken.add(candidate);
    return join(resultsDirectory, candidate);
  };
  const fromFile = (path: string, result: ReportableResult): ResolvedInput => {
    const kept = { path, result, labelSource: path };
    if (!copyOutside || placeOfFile(directory, path).inside) return kept;
    // A file outside the folder (by its path, or through a symbolic link out of it) is copied into
    // results/, unless results/ itself leads out of the folder (e.g. a link to a data disk): the copy
    // would be outside again, so the file stays where it is and the manifest lists it under `external`.
    const copy = resultsPath(safeFileName(basename(path)));
    if (!placeOfFile(directory, copy).inside) return kept;
    return { path: copy, result, labelSource: path, write: { copyFrom: path } };
  };
  return inputs.map((input, index) => {
    if (typeof input === "string") return fromFile(input, loadResult(input));
    if ("path" in input && typeof input.path === "string" && !("kind" in input)) {
      const result =
        input.result === undefined ? loadResult(input.path) : parseResult(input.result, input.path);
      return fromFile(input.path, result);
    }
    const result = parseResult(input, `result ${index + 1}`);
    const label = objectLabel(result);
    const path = resultsPath(
      `${String(index + 1).padStart(2, "0")}-${result.kind}${label === undefined ? "" : `-${safeFileName(label)}`}.json`,
    );
    return { path, result, write: { json: `${JSON.stringify(result, null, 2)}\n` } };
  });
}

function writeInput(input: ResolvedInput): void {
  if (input.write === undefined) return;
  makeFolder(dirname(input.path));
  if ("json" in input.write) writeFileSync(input.path, input.write.json);
  else copyFileSync(input.write.copyFrom, input.path);
}

/** Loads and validates results (paths or objects) and builds the report views, writing nothing. */
export function loadReportModel(inputs: readonly (string | ReportableResult)[]): ReportModel {
  return buildReportModel(
    inputs.map((input, index) =>
      typeof input === "string"
        ? { result: loadResult(input), source: input }
        : { result: parseResult(input, `result ${index + 1}`) },
    ),
  );
}

/** A library caller's `results` checked for shape before anything reads them (no TypeError from deep inside). */
function checkReportInputs(inputs: unknown): void {
  if (!Array.isArray(inputs))
    throw new InputError("report: results must be a list of result file paths or result objects");
  inputs.forEach((input: unknown, index) => {
    if (typeof input !== "string" && (typeof input !== "object" || input === null || Array.isArray(input)))
      throw new InputError(
        `result ${index + 1}: expected a result file path or the object ice, rse or lineage returned, got ${input === undefined ? "nothing" : JSON.stringify(input)}`,
      );
  });
}

/** The options a plain-JavaScript caller can get wrong, checked before anything is read or written. */
function checkReportOptions(options: WriteReportOptions): void {
  checkOptionsObject(options, "writeReport", "results, outputDirectory | htmlPath | markdownPath");
  for (const [option, flag] of [
    ["outputDirectory", "outputDirectory"],
    ["htmlPath", "--html"],
    ["markdownPath", "--md"],
    ["configPath", "--config"],
  ] as const)
    if (options[option] !== undefined)
      checkPathArgument(options[option], option === flag ? option : optionName(option, flag));
  checkListOption(options.transcripts, optionName("transcripts", "--transcript"), '["answers.jsonl"]');
  if (options.title !== undefined && typeof options.title !== "string")
    throw new InputError(`title must be text when given, got ${shownValue(options.title)}`);
  if (options.now !== undefined && !(options.now instanceof Date && Number.isFinite(options.now.getTime())))
    throw new InputError(
      `now must be a valid Date when given, got ${options.now instanceof Date ? "an invalid Date" : shownValue(options.now)}`,
    );
}

/**
 * Writes the reports. Throws InputError (exit 2) for an invalid result, a missing file, or when no
 * output is named.
 */
export async function writeReport(options: WriteReportOptions): Promise<WrittenReport> {
  checkReportOptions(options);
  const htmlPath =
    options.htmlPath ?? (options.outputDirectory ? join(options.outputDirectory, "report.html") : undefined);
  const markdownPath =
    options.markdownPath ??
    (options.outputDirectory ? join(options.outputDirectory, "report.md") : undefined);
  if (!htmlPath && !markdownPath)
    throw new InputError("report: name an output: htmlPath (--html), markdownPath (--md) or outputDirectory");
  checkReportInputs(options.results);
  if (options.results.length === 0) throw new InputError("report: give at least one result JSON file");
  const directory = resolve(options.outputDirectory ?? dirname(htmlPath ?? markdownPath ?? "."));
  const withManifest = options.manifest ?? options.outputDirectory !== undefined;
  // Check every input before writing anything: bad input leaves no half-written report behind.
  const inputs = resolveInputs(options.results, directory, withManifest);
  if (withManifest) {
    for (const path of options.transcripts ?? []) checkEvidenceFile(path, "transcript");
    if (options.configPath) checkEvidenceFile(options.configPath, "config");
  }
  const model = buildReportModel(
    inputs.map(({ result, labelSource, path }) => {
      const inside = relative(directory, resolve(path)).split(sep).join("/");
      const file =
        inside === ".." || inside.startsWith("../") || isAbsolute(inside) ? basename(path) : inside;
      return { result, source: labelSource, file };
    }),
  );
  const now = options.now ?? new Date();
  const title = options.title ?? "distillscope report";
  const html = htmlPath
    ? await renderHtml(model, { title, subtitle: `distillscope ${toolVersion}, ${now.toISOString()}` })
    : undefined;
  const markdown = markdownPath ? renderMarkdown(model, { title }) : undefined;

  for (const input of inputs) writeInput(input);
  const written: WrittenReport = { model };
  const reports: string[] = [];
  if (htmlPath && html !== undefined) {
    makeFolder(dirname(resolve(htmlPath)));
    writeFileSync(htmlPath, html);
    written.htmlPath = htmlPath;
    written.htmlBytes = Buffer.byteLength(html);
    reports.push(htmlPath);
  }
  if (markdownPath && markdown !== undefined) {
    makeFolder(dirname(resolve(markdownPath)));
    writeFileSync(markdownPath, markdown);
    written.markdownPath = markdownPath;
    reports.push(markdownPath);
  }
  if (withManifest) {
    const manifest = await buildManifest({
      directory,
      results: inputs,
      transcripts: options.transcripts ?? [],
      reports,
      configPath: options.configPath,
      config: options.config,
      now,
    });
    const manifestPath = join(directory, manifestFileName);
    makeFolder(directory);
    writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    written.manifestPath = manifestPath;
    written.manifest = manifest;
  }
  return written;
}
