import assert from "node:assert/strict";
import test from "node:test";
import { runRecordingPackages } from "../testing/loaded-packages.ts";

/**
 * Every command pays for what main.ts loads before it parses argv, and the tests spawn the CLI hundreds
 * of times: the heavy libraries (echarts alone costs about a second of CPU) must load only in the
 * action of a command that uses them.
 */
const heavyPackages = [
  "echarts",
  "zrender",
  "undici",
  "socks",
  "zod",
  "yaml",
  "cli-progress",
  "hyparquet",
  "openai",
  "@anthropic-ai/sdk",
  "@google/genai",
  "@stdlib/stats-base-dists-t-cdf",
  // Microsoft Entra ID sign-in for azure: models without a key (about half a second to load).
  "@azure/identity",
  "@azure/msal-node",
  "@azure/core-rest-pipeline",
];

async function packagesLoadedBy(args: string[]): Promise<string[]> {
  const outcome = await runRecordingPackages(args);
  assert.equal(outcome.status, 0, outcome.stderr);
  assert.ok(outcome.packages.length > 0, outcome.stderr);
  return outcome.packages;
}

for (const args of [["--version"], ["--help"], ["report", "--help"], ["audit", "--help"]]) {
  test(`\`distillscope ${args.join(" ")}\` loads no heavy library`, async () => {
    const loaded = await packagesLoadedBy(args);
    assert.ok(loaded.includes("commander"), `the recorder saw nothing: ${loaded.join(", ")}`);
    assert.deepEqual(
      heavyPackages.filter((name) => loaded.includes(name)),
      [],
    );
  });
}
