import assert from "node:assert/strict";
import test from "node:test";
import { assembleReadme, shiftHeadings } from "./assemble.ts";

test("headings shift so the file's top level is ###, code fences untouched", () => {
  const text = "# Lineage\n\ntext\n\n```sh\n# a shell comment\n```\n\n## Limits\n";
  assert.equal(
    shiftHeadings(text, 3),
    "### Lineage\n\ntext\n\n```sh\n# a shell comment\n```\n\n#### Limits\n",
  );
  assert.equal(shiftHeadings("## Engine\n### Numbers", 3), "### Engine\n#### Numbers");
});

test("marked blocks are replaced by a plain copy; unmarked files are appended; the rest is kept", () => {
  const readme = [
    "# distillscope",
    "hand-written",
    "<!-- BEGIN docs/readme/a.md -->",
    "old text",
    "<!-- END docs/readme/a.md -->",
    "tail",
  ].join("\n");
  const files = new Map([
    ["a.md", "## A\nnew text\n"],
    ["b.md", "## B\nmore\n"],
  ]);
  const assembled = assembleReadme(readme, files);
  assert.equal(
    assembled,
    [
      "# distillscope",
      "hand-written",
      "<!-- BEGIN docs/readme/a.md -->",
      "### A",
      "new text",
      "<!-- END docs/readme/a.md -->",
      "tail",
      "",
      "<!-- BEGIN docs/readme/b.md -->",
      "### B",
      "more",
      "<!-- END docs/readme/b.md -->",
      "",
    ].join("\n"),
  );
  assert.equal(assembleReadme(assembled, files), assembled, "running it twice changes nothing");
});
