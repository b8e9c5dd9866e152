import type { Command } from "commander";
import { InputError } from "../../errors.ts";
import { terminalSafeLine } from "../../text/terminal-text.ts";

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
    .option(
      "--manifest",
      "write manifest.json (SHA-256 of every input and report) beside the reports; needs --html or --md",
    )
    .option(
      "--transcript <file>",
      "a transcript file to hash into the manifest (repeatable; implies --manifest)",
      collect,
      [],
    )
    .option("--config <file>", "the config file the run used, hashed into the manifest (implies --manifest)")
    .option("--title <text>", "report title")
    .addHelpText(
      "after",
      `
Examples:
  distillscope report runs/ice-qwen.json runs/rse-qwen.json --html out/report.html --md out/report.md
  distillscope report runs/*.json --html out/report.html --manifest --transcript runs/qwen.jsonl
  distillscope verify out/          # later: check that nothing changed

Without --html or --md the Markdown summary is printed to standard output (then --manifest,
--transcript and --config are refused: the manifest is written beside report files). Result files
outside the report folder are copied into <folder>/results/ so that the folder verifies anywhere.`,
    )
    .action(async (results: string[], options: ReportOptions, command: Command) => {
      // Loaded here, not at the top, so that every other command starts without the report code.
      const { renderMarkdown } = await import("../../report/markdown.ts");
      const { loadReportModel, writeReport } = await import("../../report/write-report.ts");
      const quiet = Boolean(command.optsWithGlobals().quiet);
      const manifest =
        Boolean(options.manifest) || options.transcript.length > 0 || options.config !== undefined;
      if (options.html === undefined && options.md === undefined) {
        if (manifest)
          throw new InputError(
            "report: --manifest, --transcript and --config need --html <file> or --md <file>: the manifest is written beside the report files",
          );
        const markdown = renderMarkdown(loadReportModel(results), { title: options.title });
        process.stdout.write(markdown);
        return;
      }
      const written = await writeReport({
        results,
        htmlPath: options.html,
        markdownPath: options.md,
        manifest,
        transcripts: options.transcript,
        configPath: options.config,
        title: options.title,
      });
      if (quiet) return;
      if (written.htmlPath)
        process.stdout.write(
          `wrote ${terminalSafeLine(written.htmlPath)} (${((written.htmlBytes ?? 0) / 1e6).toFixed(2)} MB)\n`,
        );
      if (written.markdownPath) process.stdout.write(`wrote ${terminalSafeLine(written.markdownPath)}\n`);
      if (written.manifestPath) {
        const hashed = (written.manifest?.files.length ?? 0) + (written.manifest?.external.length ?? 0);
        process.stdout.write(`wrote ${terminalSafeLine(written.manifestPath)} (${hashed} files hashed)\n`);
      }
    });
}
