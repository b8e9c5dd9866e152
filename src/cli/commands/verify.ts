import type { Command } from "commander";
import { InputError } from "../../errors.ts";
import type { VerifyEntry, VerifyOutcome } from "../../report/manifest.ts";
import { terminalSafeLine } from "../../text/terminal-text.ts";

const notCheckedStatus = "NOT CHECKED (outside the report folder)";

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** One visible line per entry: paths and roles come from a manifest someone else may have written. */
function entryLine(entry: VerifyEntry): string {
  const role = terminalSafeLine(entry.role).padEnd(10);
  const path = terminalSafeLine(entry.path);
  if (entry.status === "outside") {
    const why = entry.outside === "link" ? " (a symbolic link that leads out of the folder)" : "";
    return `${notCheckedStatus} ${role} ${path}${why}\n`;
  }
  if (entry.status === "inconsistent") {
    const first = (entry.disagreements ?? []).slice(0, 3).map((line) => terminalSafeLine(line));
    const more =
      (entry.disagreements?.length ?? 0) > 3 ? `; and ${entry.disagreements!.length - 3} more` : "";
    return `INCONSISTENT ${role} ${path} (hash matches, but its figures disagree with its own items: ${first.join("; ")}${more})\n`;
  }
  const detail = entry.status === "mismatch" ? ` (expected ${entry.expected}, found ${entry.actual})` : "";
  const notRederived =
    entry.notRederived === undefined
      ? ""
      : ` (figures not re-derived: ${terminalSafeLine(entry.notRederived.length > 160 ? `${entry.notRederived.slice(0, 160)}...` : entry.notRederived)})`;
  return `${entry.status.toUpperCase().padEnd(8)} ${role} ${path}${detail}${notRederived}\n`;
}

/** Unlisted files shown one a line, at most this many (a report written into a busy folder). */
const unlistedShown = 20;

/** "2 entries outside the folder not checked", "1 external file not checked", "1 file ... not in the manifest", or nothing. */
function notCheckedNote(outcome: VerifyOutcome): string {
  const parts: string[] = [];
  if (outcome.notChecked > 0)
    parts.push(`${plural(outcome.notChecked, "entry", "entries")} outside the folder not checked`);
  if (outcome.external.length > 0)
    parts.push(`${plural(outcome.external.length, "external file", "external files")} not checked`);
  if (outcome.unlisted.length > 0)
    parts.push(
      `${plural(outcome.unlisted.length, "file", "files")} in the folder not in the manifest (not covered by it)`,
    );
  return parts.map((part) => `; ${part}`).join("");
}

/**
 * `distillscope verify <report-dir>`: recompute the hash of every file the manifest lists inside the
 * report folder. Exit 0 when at least one file was checked and all match, 2 otherwise.
 */
export function register(program: Command): void {
  program
    .command("verify")
    .description("check every file listed in a report's manifest.json against its SHA-256")
    .argument("<report-dir>", "directory holding manifest.json (or the manifest file itself)")
    .addHelpText(
      "after",
      `
Prints one line per file: OK, MISMATCH (content changed) or MISSING. A result file is also re-derived:
its headline figures (ICE rates, RSE scores, lineage teachers) are computed again from its own items, and
a result whose bytes match but whose figures do not follow is INCONSISTENT. A manifest entry outside the
report folder (an absolute path, a path that leaves it by .., or a symbolic link that leads out of it;
manifests written before manifestVersion 2 listed results as ../result.json) is never read:
it is shown as ${notCheckedStatus}. In a version-2 manifest (which lists only files inside the folder)
such an entry fails the run; in an older one it is only counted in the summary. EXTERNAL is a file the
manifest records outside the folder by name and hash only (shown, not checked). UNLISTED is a file
beside the listed ones that the manifest does not list (added later?): shown and counted, not failed on.
Exit code 0 when every file inside the folder matches, 2 when any of them is changed, missing or
inconsistent, none is
listed, a version-2 entry leads outside the folder, or the manifest is missing or invalid.

Example:
  distillscope report runs/*.json --html out/report.html --manifest
  distillscope verify out/`,
    )
    .action(async (directory: string, _options: unknown, command: Command) => {
      const { verifyManifest } = await import("../../report/manifest.ts");
      const quiet = Boolean(command.optsWithGlobals().quiet);
      const outcome = await verifyManifest(directory);
      if (!quiet) for (const entry of outcome.entries) process.stdout.write(entryLine(entry));
      if (!quiet)
        for (const file of outcome.external)
          process.stdout.write(
            `EXTERNAL ${terminalSafeLine(file.role).padEnd(10)} ${terminalSafeLine(file.name)} (outside the report folder, not checked; sha256 ${file.sha256})\n`,
          );
      if (!quiet) {
        for (const path of outcome.unlisted.slice(0, unlistedShown))
          process.stdout.write(
            `UNLISTED ${"".padEnd(10)} ${terminalSafeLine(path)} (in the report folder, not in the manifest: not covered)\n`,
          );
        if (outcome.unlisted.length > unlistedShown)
          process.stdout.write(`... and ${outcome.unlisted.length - unlistedShown} more unlisted\n`);
      }
      const note = notCheckedNote(outcome);
      const failed = outcome.entries.filter(
        (entry) => entry.status === "mismatch" || entry.status === "missing",
      ).length;
      const inconsistent = outcome.entries.filter((entry) => entry.status === "inconsistent").length;
      // A version-2 manifest lists only files inside the folder: an entry that now leads out of it (an
      // edited manifest, or a file or folder replaced by a link out) is tampering, not an old layout.
      if (outcome.manifestVersion >= 2 && outcome.notChecked > 0)
        throw new InputError(
          `verify: ${plural(outcome.notChecked, "entry", "entries")} of ${outcome.manifestPath} ${outcome.notChecked === 1 ? "leads" : "lead"} outside the report folder; a version-2 manifest lists only files inside it, so the manifest was edited or a file or folder was replaced by a link out`,
        );
      if (failed > 0)
        throw new InputError(
          `verify: ${failed} of ${plural(outcome.checked, "file", "files")} in ${outcome.manifestPath} are changed or missing${note}`,
        );
      if (inconsistent > 0)
        throw new InputError(
          `verify: ${plural(inconsistent, "result", "results")} in ${outcome.manifestPath} ${inconsistent === 1 ? "has" : "have"} figures that disagree with ${inconsistent === 1 ? "its" : "their"} own items (the bytes are as the manifest records; the figures were written so)${note}`,
        );
      if (outcome.checked === 0)
        throw new InputError(
          `verify: ${outcome.manifestPath} lists no file inside its report folder, so nothing was checked${note}`,
        );
      if (!quiet)
        process.stdout.write(`verified ${plural(outcome.checked, "file", "files")}: all match${note}\n`);
    });
}
