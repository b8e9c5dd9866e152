/**
 * Refreshes the per-area sections of README.md from docs/readme/*.md: every block between
 * `<!-- BEGIN docs/readme/<name>.md -->` and `<!-- END docs/readme/<name>.md -->` is replaced by a plain
 * copy of that file, its headings shifted so the file's top level becomes `###` (the README's
 * "Details by area" section is `##`). The hand-written part of the README (outside the markers) is
 * left alone. A docs/readme file with no block yet is appended at the end of the README.
 * Usage: node scripts/readme/assemble.ts [--check]   (--check: exit 1 when README.md is stale)
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

/** Shifts Markdown headings (outside code fences) so the smallest level becomes `topLevel`. */
export function shiftHeadings(markdown: string, topLevel: number): string {
  const lines = markdown.split("\n");
  let fenced = false;
  const isHeading: boolean[] = lines.map((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      return false;
    }
    return !fenced && /^#{1,6} /.test(line);
  });
  const levels = lines.filter((_, index) => isHeading[index]).map((line) => line.indexOf(" "));
  if (levels.length === 0) return markdown;
  const shift = topLevel - Math.min(...levels);
  return lines
    .map((line, index) => {
      if (!isHeading[index]) return line;
      const level = Math.min(6, Math.max(1, line.indexOf(" ") + shift));
      return `${"#".repeat(level)}${line.slice(line.indexOf(" "))}`;
    })
    .join("\n");
}

/** The README with every marked block replaced by its file's current text (`files`: name -> text). */
export function assembleReadme(readme: string, files: ReadonlyMap<string, string>): string {
  let output = readme;
  for (const [name, text] of files) {
    const begin = `<!-- BEGIN docs/readme/${name} -->`;
    const end = `<!-- END docs/readme/${name} -->`;
    const block = `${begin}\n${shiftHeadings(text.trimEnd(), 3)}\n${end}`;
    const start = output.indexOf(begin);
    const stop = output.indexOf(end);
    if (start >= 0 && stop > start) output = output.slice(0, start) + block + output.slice(stop + end.length);
    else output = `${output.trimEnd()}\n\n${block}\n`;
  }
  return output;
}

if (import.meta.main) {
  const root = resolve(import.meta.dirname, "..", "..");
  const folder = join(root, "docs", "readme");
  const files = new Map(
    readdirSync(folder)
      .filter((name) => name.endsWith(".md"))
      .sort()
      .map((name) => [name, readFileSync(join(folder, name), "utf8")] as const),
  );
  const readmePath = join(root, "README.md");
  const current = readFileSync(readmePath, "utf8");
  const assembled = assembleReadme(current, files);
  if (process.argv.includes("--check")) {
    process.stdout.write(assembled === current ? "README.md is up to date\n" : "README.md is stale\n");
    process.exit(assembled === current ? 0 : 1);
  }
  writeFileSync(readmePath, assembled);
  process.stdout.write(`README.md: ${files.size} sections from docs/readme/ refreshed\n`);
}
