import type { Command } from "commander";
import { InputError } from "../../errors.ts";
import { verifyManifest } from "../../report/manifest.ts";
import { terminalSafeLine } from "../../text/terminal-text.ts";

/** `distillscope verify <report-dir>`: recompute every hash in manifest.json. Exit 0 all match, 2 otherwise. */
export function register(program: Command): void {
  program
    .command("verify")
    .description("check every file listed in a report's manifest.json against its SHA-256")
    .argument("<report-dir>", "directory holding manifest.json (or the manifest file itself)")
    .addHelpText(
      "after",
      `
Prints one line per file: OK, MISMATCH (content changed) or MISSING, and EXTERNAL for a file the
manifest records outside the report folder by name and hash only (shown, not checked).
Exit code 0 when every file matches, 2 when any file is changed or missing, or the manifest is invalid
or names a file outside its folder (an absolute path or ..).

Example:
  distillscope report runs/*.json --html out/report.html --manifest
  distillscope verify out/`,
    )
    .action(async (directory: string, _options: unknown, command: Command) => {
      const quiet = Boolean(command.optsWithGlobals().quiet);
      const outcome = await verifyManifest(directory);
      if (!quiet)
        for (const entry of outcome.entries) {
          const status = entry.status.toUpperCase().padEnd(8);
          const detail =
            entry.status === "mismatch" ? ` (expected ${entry.expected}, found ${entry.actual})` : "";
          // Paths and roles come from a manifest someone else may have written: one visible line each.
          process.stdout.write(
            `${status} ${terminalSafeLine(entry.role).padEnd(10)} ${terminalSafeLine(entry.path)}${detail}\n`,
          );
        }
      if (!quiet)
        for (const file of outcome.external)
          process.stdout.write(
            `EXTERNAL ${terminalSafeLine(file.role).padEnd(10)} ${terminalSafeLine(file.name)} (outside the report folder, not checked; sha256 ${file.sha256})\n`,
          );
      const failed = outcome.entries.filter((entry) => entry.status !== "ok").length;
      if (failed > 0)
        throw new InputError(
          `verify: ${failed} of ${outcome.entries.length} files in ${outcome.manifestPath} are changed or missing`,
        );
      if (!quiet) process.stdout.write(`verified ${outcome.entries.length} files: all match\n`);
    });
}
