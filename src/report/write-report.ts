/**
 * The library entry point for reports (used by `distillscope report` and by `audit`): validates the
 * results, writes the HTML and Markdown reports, and optionally the evidence manifest.
 */
import { writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { InputError } from "../errors.ts";
import { makeFolder } from "../files/make-folder.ts";
import type { IceResult as ComputedIceResult } from "../metrics/ice.ts";
import type { LineageResult as ComputedLineageResult } from "../metrics/lineage.ts";
import type { RseResult as ComputedRseResult } from "../rse/run.ts";
import { toolVersion } from "../version.ts";
import { renderHtml } from "./html.ts";
import type { Manifest } from "./manifest.ts";
import { buildManifest, manifestFileName } from "./manifest.ts";
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

/** Loaded input; `labelSource` is the path to label the result by (none for results given as objects). */
interface ResolvedInput {
  path: string;
  result: ReportableResult;
  labelSource?: string;
}

function objectLabel(result: ReportableResult): string | undefined {
  const record = result as Record<string, unknown>;
  const source = record.source as Record<string, unknown> | undefined;
  for (const value of [record.target, source?.target, source?.model, source?.file])
    if (typeof value === "string") return basename(value);
  return undefined;
}

/** Loads every input; results given only as objects are saved under `<directory>/results/` for hashing. */
function resolveInputs(inputs: readonly ReportInput[], directory: string): ResolvedInput[] {
  return inputs.map((input, index) => {
    if (typeof input === "string") return { path: input, result: loadResult(input), labelSource: input };
    if ("path" in input && typeof input.path === "string" && !("kind" in input)) {
      const result =
        input.result === undefined ? loadResult(input.path) : parseResult(input.result, input.path);
      return { path: input.path, result, labelSource: input.path };
    }
    const result = parseResult(input, `result ${index + 1}`);
    const label = objectLabel(result);
    const path = join(
      directory,
      "results",
      `${String(index + 1).padStart(2, "0")}-${result.kind}${label === undefined ? "" : `-${safeFileName(label)}`}.json`,
    );
    makeFolder(dirname(path));
    writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`);
    return { path, result };
  });
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

/**
 * Writes the reports. Throws InputError (exit 2) for an invalid result, a missing file, or when no
 * output is named.
 */
export async function writeReport(options: WriteReportOptions): Promise<WrittenReport> {
  const htmlPath =
    options.htmlPath ?? (options.outputDirectory ? join(options.outputDirectory, "report.html") : undefined);
  const markdownPath =
    options.markdownPath ??
    (options.outputDirectory ? join(options.outputDirectory, "report.md") : undefined);
  if (!htmlPath && !markdownPath)
    throw new InputError("report: name an output with --html <file>, --md <file> or an output directory");
  if (options.results.length === 0) throw new InputError("report: give at least one result JSON file");
  const directory = resolve(options.outputDirectory ?? dirname(htmlPath ?? markdownPath ?? "."));
  const inputs = resolveInputs(options.results, directory);
  const model = buildReportModel(inputs.map(({ result, labelSource }) => ({ result, source: labelSource })));
  const now = options.now ?? new Date();
  const title = options.title ?? "distillscope report";
  const written: WrittenReport = { model };
  const reports: string[] = [];
  if (htmlPath) {
    const html = renderHtml(model, { title, subtitle: `distillscope ${toolVersion}, ${now.toISOString()}` });
    makeFolder(dirname(resolve(htmlPath)));
    writeFileSync(htmlPath, html);
    written.htmlPath = htmlPath;
    written.htmlBytes = Buffer.byteLength(html);
    reports.push(htmlPath);
  }
  if (markdownPath) {
    makeFolder(dirname(resolve(markdownPath)));
    writeFileSync(markdownPath, renderMarkdown(model, { title }));
    written.markdownPath = markdownPath;
    reports.push(markdownPath);
  }
  if (options.manifest ?? options.outputDirectory !== undefined) {
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
