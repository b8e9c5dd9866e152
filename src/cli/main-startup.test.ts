import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import test from "node:test";

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
];

// Preloaded into the child: records the package of every module resolved, and prints them at exit.
const recordPackages = `
import { registerHooks } from "node:module";
import { writeSync } from "node:fs";
const packages = new Set();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const result = nextResolve(specifier, context);
    const match = /\\/node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(result.url);
    if (match) packages.add(match[1]);
    return result;
  },
});
process.on("exit", () => writeSync(2, "\\npackages: " + JSON.stringify([...packages]) + "\\n"));
`;

function packagesLoadedBy(args: string[]): string[] {
  const outcome = spawnSync(
    process.execPath,
    [
      "--import",
      `data:text/javascript,${encodeURIComponent(recordPackages)}`,
      resolve(import.meta.dirname, "main.ts"),
      ...args,
    ],
    { encoding: "utf8", timeout: 60_000 },
  );
  assert.equal(outcome.status, 0, outcome.stderr);
  const line = /\npackages: (.*)\n/.exec(outcome.stderr);
  assert.ok(line?.[1], outcome.stderr);
  return JSON.parse(line[1]) as string[];
}

for (const args of [["--version"], ["--help"], ["report", "--help"], ["audit", "--help"]]) {
  test(`\`distillscope ${args.join(" ")}\` loads no heavy library`, () => {
    const loaded = packagesLoadedBy(args);
    assert.ok(loaded.includes("commander"), `the recorder saw nothing: ${loaded.join(", ")}`);
    assert.deepEqual(
      heavyPackages.filter((name) => loaded.includes(name)),
      [],
    );
  });
}
