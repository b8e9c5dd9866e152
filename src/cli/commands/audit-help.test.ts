import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { writeExampleConfig } from "../../config/init.ts";
import { loadConfig } from "../../config/load.ts";
import { thresholdKind } from "../../config/thresholds.ts";
import { parseFailOnFlags } from "../fail-on.ts";
import { buildProgram } from "../main.ts";

/** The whole `audit --help` text, examples included (they are printed after the options). */
function auditHelpText(): string {
  const audit = buildProgram().commands.find((command) => command.name() === "audit");
  assert.ok(audit, "the audit command is registered");
  let text = "";
  audit.configureOutput({ writeOut: (chunk) => (text += chunk) });
  audit.outputHelp();
  return text;
}

// A user runs `distillscope init`, then the help's examples: a --fail-on on an evaluation that init's
// config does not run is exit 2 (the lineage example did that: lineage is commented out in init's file).
test("every --fail-on in the audit --help examples is accepted with the config init writes", () => {
  const examples = auditHelpText()
    .split("\n")
    .filter((line) => line.includes("distillscope audit") && line.includes("--fail-on"));
  const flags = examples.flatMap((line) =>
    [...line.matchAll(/--fail-on "([^"]+)"/g)].map((match) => match[1]!),
  );
  assert.ok(flags.length >= 2, `the help shows --fail-on examples:\n${examples.join("\n")}`);

  const directory = mkdtempSync(join(tmpdir(), "distillscope-audit-help-"));
  try {
    const configPath = join(directory, "distillscope.yaml");
    writeExampleConfig({ out: configPath });
    const { config } = loadConfig(configPath);
    for (const threshold of parseFailOnFlags(flags)) {
      const kind = thresholdKind(threshold);
      assert.ok(
        config.evaluations[kind] !== undefined,
        `--fail-on "${threshold.source}" needs evaluations.${kind}, which init's config does not run`,
      );
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
