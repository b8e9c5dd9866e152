/**
 * `distillscope demo`: the whole method on public data with nothing to set up. Gets the corpora
 * (local copies, the download cache, or a download), re-judges every identity-jailbreak transcript of
 * Lee et al. 2025 with the embedded identity judge, runs lineage attribution on the AlpacaEval
 * answers, writes result JSON + HTML/Markdown report + evidence manifest, and returns the table that
 * compares our ICE scores with the paper's.
 */
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { alpacaEvalDefaultCandidates } from "../corpus/download-sources.ts";
import { InputError } from "../errors.ts";
import { folderProblem, makeFolder } from "../files/make-folder.ts";
import { checkPathArgument } from "../files/path-argument.ts";
import { identityForModelId } from "../identity/registry.ts";
import { optionName } from "../options/option-name.ts";
import { formatPValue } from "../report/number-format.ts";
import { toBounds } from "../report/result-schema.ts";
import { writeReport } from "../report/write-report.ts";
import { agreementSummary, type ComparisonRow, comparisonTable } from "./compare.ts";
import { attackNameOf, paperTargetFor } from "./paper-figures.ts";
import { paperFileScores } from "./paper-verdicts.ts";
import { referenceFiguresOf } from "./reference-figures.ts";
import { type DemoSources, resolveDemoSources } from "./sources.ts";
import { judgeAttackFile, lineageOnCorpus } from "./steps.ts";

export interface DemoOptions {
  home: string;
  out: string;
  alpacaevalDirectory?: string;
  lee2025Directory?: string;
  offline?: boolean;
  environment?: NodeJS.ProcessEnv;
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void;
}

export interface DemoLineageRow {
  model: string;
  teacher: string | null;
  pValue: number;
  ranking: Array<{ candidate: string; score: number }>;
}

export interface DemoOutcome {
  sources: DemoSources;
  comparison: ComparisonRow[];
  lineage: DemoLineageRow[];
  candidates: string[];
  /** Markdown: the ICE comparison, the lineage attributions and where the reports are. */
  summary: string;
  outDirectory: string;
  htmlPath?: string;
  markdownPath?: string;
  manifestPath?: string;
  seconds: number;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

function scoreOf(result: Record<string, unknown>, metric: string) {
  const value = record(result.scores)[metric];
  const bounds = toBounds(record(result.intervals)[metric]);
  return { value: typeof value === "number" ? value : Number.NaN, low: bounds?.low, high: bounds?.high };
}

/** Runs the demo; throws InputError for bad directories, RuntimeFailure when nothing could be fetched. */
export async function runDemo(options: DemoOptions): Promise<DemoOutcome> {
  // Plain JavaScript callers can leave out anything: one line naming the option, not a TypeError.
  if (options === null || typeof options !== "object")
    throw new InputError("runDemo needs { home, out } (the store's home and the output folder)");
  checkPathArgument(options.home, optionName("home", "--home"));
  checkPathArgument(options.out, optionName("out", "--out"));
  const started = performance.now();
  const log = options.log ?? (() => {});
  // Before anything is read or downloaded: a typo in --out is found at once.
  const outDirectory = resolve(options.out);
  const resultsDirectory = join(outDirectory, "results");
  try {
    makeFolder(resultsDirectory);
  } catch (error) {
    throw new InputError(
      `${optionName("out", "--out")} ${options.out} must be a folder: ${folderProblem(error)}`,
    );
  }
  const sources = await resolveDemoSources({
    home: options.home,
    alpacaevalDirectory: options.alpacaevalDirectory,
    lee2025Directory: options.lee2025Directory,
    offline: options.offline,
    environment: options.environment,
    log,
  });
  for (const line of sources.missing) log(`warning: ${line}`);

  const attackDirectory = join(sources.lee2025Directory, "attack_result");
  const attackFiles = readdirSync(attackDirectory)
    .filter((name) => attackNameOf(name) !== undefined)
    .sort();
  const resultPaths: string[] = [];
  const transcripts: string[] = [];
  const comparison: ComparisonRow[] = [];
  for (const fileName of attackFiles) {
    const attackName = attackNameOf(fileName) as string;
    const paper = paperTargetFor(fileName);
    const identity = paper?.identity ?? identityForModelId(attackName);
    if (identity === undefined) {
      log(`skipping ${fileName}: cannot tell which developer ${attackName} belongs to`);
      continue;
    }
    const attackPath = join(attackDirectory, fileName);
    log(`ICE: re-judging ${fileName} as ${identity}`);
    const judged = await judgeAttackFile({ file: attackPath, identity, target: attackName });
    const strictPath = paper?.strictFile
      ? join(sources.lee2025Directory, "strict_score", paper.strictFile)
      : undefined;
    const paperFile = await paperFileScores(attackPath, strictPath);
    // The reports show the same comparison with the paper as the printed table.
    const referenceFigures = referenceFiguresOf({
      ...(paper ? { label: paper.paperLabel } : {}),
      ...(paper?.published ? { published: paper.published } : {}),
      paperFile,
    });
    const result: Record<string, unknown> = { ...judged, referenceFigures };
    const resultPath = join(resultsDirectory, `ice-${attackName}.json`);
    writeFileSync(resultPath, `${JSON.stringify(result, null, 2)}\n`);
    resultPaths.push(resultPath);
    transcripts.push(attackPath);
    comparison.push({
      label: paper?.paperLabel ?? attackName,
      identity,
      n: typeof result.n === "number" ? result.n : paperFile.n,
      published: paper?.published,
      paperFile,
      ours: {
        loose: scoreOf(result, "loose"),
        strict: scoreOf(result, "strict"),
        hard: scoreOf(result, "hard"),
      },
    });
  }
  if (comparison.length === 0) {
    throw new InputError(`${attackDirectory}: no gpt_GPT_<model>.jsonl attack file could be judged`);
  }

  const present = new Set(
    readdirSync(sources.alpacaevalDirectory).filter((name) =>
      existsSync(join(sources.alpacaevalDirectory, name, "model_outputs.json")),
    ),
  );
  const candidates = alpacaEvalDefaultCandidates.filter((candidate) => present.has(candidate));
  const lineage: DemoLineageRow[] = [];
  if (candidates.length >= 2) {
    log(
      `lineage: attributing ${present.size - candidates.length} models among ${candidates.length} candidates`,
    );
    const attributed = await lineageOnCorpus({ directory: sources.alpacaevalDirectory, candidates });
    const lineageResult = record(attributed);
    const lineagePath = join(resultsDirectory, "lineage.json");
    writeFileSync(lineagePath, `${JSON.stringify(lineageResult, null, 2)}\n`);
    resultPaths.push(lineagePath);
    for (const attribution of Array.isArray(lineageResult.attributions) ? lineageResult.attributions : []) {
      const row = record(attribution);
      lineage.push({
        model: String(row.model),
        teacher: typeof row.teacher === "string" ? row.teacher : null,
        pValue: typeof row.pValue === "number" ? row.pValue : Number.NaN,
        ranking: Array.isArray(row.ranking) ? (row.ranking as DemoLineageRow["ranking"]) : [],
      });
    }
  } else {
    log(
      `lineage skipped: fewer than 2 of the candidates (${alpacaEvalDefaultCandidates.join(", ")}) are present`,
    );
  }

  log("writing the report...");
  const written = await writeReport({
    results: resultPaths,
    outputDirectory: outDirectory,
    transcripts,
    config: { command: "demo", sources: sources.origin, candidates },
    title: "distillscope demo: Lee et al. 2025 transcripts and AlpacaEval lineage",
  });
  const seconds = (performance.now() - started) / 1000;
  const summary = demoSummary(comparison, lineage, candidates, {
    html: written.htmlPath,
    markdown: written.markdownPath,
    manifest: written.manifestPath,
    seconds,
  });
  return {
    sources,
    comparison,
    lineage,
    candidates,
    summary,
    outDirectory,
    htmlPath: written.htmlPath,
    markdownPath: written.markdownPath,
    manifestPath: written.manifestPath,
    seconds,
  };
}

/** The Markdown the demo prints. */
export function demoSummary(
  comparison: readonly ComparisonRow[],
  lineage: readonly DemoLineageRow[],
  candidates: readonly string[],
  paths: { html?: string; markdown?: string; manifest?: string; seconds: number },
): string {
  const agreement = agreementSummary(comparison);
  const format = (value: number | undefined) => (value === undefined ? "-" : value.toFixed(3));
  const lines = [
    "## ICE: our embedded judge vs Lee et al. 2025",
    "",
    "published = the paper's figure (Figure 2, two decimals; README base-vs-instruct table, strict only);",
    "recomputed = the paper's own judges' verdicts counted again from its files (hard: strict rows whose template",
    "names neither GPT nor OpenAI); ours = the embedded judge on the same answers, 95% template-clustered interval.",
    "",
    comparisonTable(comparison),
    "",
    `Mean |ours - recomputed|: loose ${format(agreement.loose)}, strict ${format(agreement.strict)}, hard ${format(agreement.hard)}`,
    "",
  ];
  if (lineage.length > 0) {
    lines.push(`## Lineage: AlpacaEval students attributed among ${candidates.join(", ")}`, "");
    lines.push("| Model | Teacher | p-value | Closest candidates |", "|---|---|---:|---|");
    for (const row of lineage) {
      const closest = row.ranking
        .slice(0, 3)
        .map((entry) => `${entry.candidate} ${entry.score.toFixed(3)}`)
        .join(", ");
      lines.push(
        `| ${row.model} | ${row.teacher ?? "none (no candidate significantly closer)"} | ${formatPValue(row.pValue)} | ${closest} |`,
      );
    }
    lines.push("");
  }
  if (paths.html) lines.push(`HTML report: ${paths.html}`);
  if (paths.markdown) lines.push(`Markdown report: ${paths.markdown}`);
  if (paths.manifest)
    lines.push(`Evidence manifest: ${paths.manifest} (check with: distillscope verify <dir>)`);
  lines.push(`Finished in ${paths.seconds.toFixed(1)} s.`);
  return lines.join("\n");
}
