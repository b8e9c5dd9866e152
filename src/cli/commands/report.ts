import type { Command } from "commander";
import { renderMarkdown } from "../../report/markdown.ts";
import { loadReportModel, writeReport } from "../../report/write-report.ts";

interface ReportOptions {
  html?: string;
  md?: string;
  manifest?: boolean;
  transcript: string[];
  config?: string;
  title?: string;
  quiet?: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `distillscope report <result.json...> --html out.html [--md out.md] [--manifest]` */
export function register(program: Command): void {
  program
    .command("report")
    .description("write an HTML and/or Markdown report (and an evidence manifest) from result JSON files")
    .argument("<results...>", "result JSON files written by ice, rse or lineage")
    .option("--html <file>", "self-contained HTML report (works offline)")
    .option("--md <file>", "Markdown summary (for a terminal, CI log or pull request)")
    .option("--manifest", "write manifest.json (SHA-256 of every input and report) beside the reports")
    .option("--transcript <file>", "a transcript file to hash into the manifest (repeatable)", collect, [])
    .option("--config <file>", "the config file the run used, hashed into the manifest")
    .option("--title <text>", "report title")
    .addHelpText(
      "after",
      `
Examples:
  distillscope report runs/ice-qwen.json runs/rse-qwen.json --html out/report.html --md out/report.md
  distillscope report runs/*.json --html out/report.html --manifest --transcript runs/qwen.jsonl
  distillscope verify out/          # later: check that nothing changed

Without --html or --md the Markdown summary is printed to standard output.`,
    )
    .action(async (results: string[], options: ReportOptions, command: Command) => {
      const quiet = Boolean(command.optsWithGlobals().quiet);
      if (options.html === undefined && options.md === undefined) {
        const markdown = renderMarkdown(loadReportModel(results), { title: options.title });
        process.stdout.write(markdown);
        return;
      }
      const written = await writeReport({
        results,
        htmlPath: options.html,
        markdownPath: options.md,
        manifest: Boolean(options.manifest),
        transcripts: options.transcript,
        configPath: options.config,
        title: options.title,
      });
      if (quiet) return;
      if (written.htmlPath)
        process.stdout.write(
          `wrote ${written.htmlPath} (${((written.htmlBytes ?? 0) / 1e6).toFixed(2)} MB)\n`,
        );
      if (written.markdownPath) process.stdout.write(`wrote ${written.markdownPath}\n`);
      if (written.manifestPath)
        process.stdout.write(
          `wrote ${written.manifestPath} (${written.manifest?.files.length ?? 0} files hashed)\n`,
        );
    });
}
