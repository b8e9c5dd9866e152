import type { Command } from "commander";
import { InputError } from "../../errors.ts";
import { terminalSafeLine } from "../../text/terminal-text.ts";
import { isStandardOutput, messageStream } from "../result-output.ts";

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
    .option("--html <file>", "self-contained HTML report (works offline; - for standard output)")
    .option("--md <file>", "Markdown summary (for a terminal, CI log or pull request; - for standard output)")
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
  distillscope report runs/*.json --html - > report.html

Without --html or --md the Markdown summary is printed to standard output, as with --md -; --html -
prints the HTML instead (one of them at most). With no report file, --manifest, --transcript and
--config are refused: the manifest is written beside report files. When a report goes to standard
output, the "wrote" lines go to stderr. Result files outside the report folder are copied into
<folder>/results/ so that the folder verifies anywhere.`,
    )
    .action(async (results: string[], options: ReportOptions, command: Command) => {
      // Loaded here, not at the top, so that every other command starts without the report code.
      const { renderMarkdown } = await import("../../report/markdown.ts");
      const { loadReportModel, writeReport } = await import("../../report/write-report.ts");
      const quiet = Boolean(command.optsWithGlobals().quiet);
      const manifest =
        Boolean(options.manifest) || options.transcript.length > 0 || options.config !== undefined;
      if (isStandardOutput(options.html) && isStandardOutput(options.md))
        throw new InputError(
          "report: --html - and --md -: only one report can go to standard output; give the other a file",
        );
      // `-` names standard output; no flag at all prints the Markdown there, as --md - does.
      const noReportFlag = options.html === undefined && options.md === undefined;
      const toStandardOutput = isStandardOutput(options.html)
        ? "html"
        : isStandardOutput(options.md) || noReportFlag
          ? "markdown"
          : undefined;
      const htmlPath = isStandardOutput(options.html) ? undefined : options.html;
      const markdownPath = isStandardOutput(options.md) ? undefined : options.md;
      if (htmlPath === undefined && markdownPath === undefined && manifest)
        throw new InputError(
          "report: --manifest, --transcript and --config need --html <file> or --md <file>: the manifest is written beside the report files",
        );
      const written =
        htmlPath === undefined && markdownPath === undefined
          ? undefined
          : await writeReport({
              results,
              htmlPath,
              markdownPath,
              manifest,
              transcripts: options.transcript,
              configPath: options.config,
              title: options.title,
            });
      if (toStandardOutput !== undefined) {
        const model = written?.model ?? loadReportModel(results);
        if (toStandardOutput === "markdown")
          process.stdout.write(renderMarkdown(model, { title: options.title }));
        else {
          const { renderHtml } = await import("../../report/html.ts");
          const { toolVersion } = await import("../../version.ts");
          process.stdout.write(
            await renderHtml(model, {
              title: options.title ?? "distillscope report",
              subtitle: `distillscope ${toolVersion}, ${new Date().toISOString()}`,
            }),
          );
        }
      }
      if (written === undefined) return;
      // With a report on standard output, it stays alone there.
      const messages = messageStream(toStandardOutput === undefined ? undefined : "-");
      if (quiet) return;
      if (written.htmlPath)
        messages.write(
          `wrote ${terminalSafeLine(written.htmlPath)} (${((written.htmlBytes ?? 0) / 1e6).toFixed(2)} MB)\n`,
        );
      if (written.markdownPath) messages.write(`wrote ${terminalSafeLine(written.markdownPath)}\n`);
      if (written.manifestPath) {
        const hashed = (written.manifest?.files.length ?? 0) + (written.manifest?.external.length ?? 0);
        messages.write(`wrote ${terminalSafeLine(written.manifestPath)} (${hashed} files hashed)\n`);
      }
    });
}
