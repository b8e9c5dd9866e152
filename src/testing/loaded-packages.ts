/**
 * Which npm packages a CLI run loads: runs `node src/cli/main.ts ...args` with a module hook preloaded
 * that records the package of every module resolved, and prints them at exit. Used to check that heavy
 * libraries load only in the commands (and code paths) that use them.
 */
import { execFile } from "node:child_process";
import { resolve } from "node:path";

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

export interface PackagesRun {
  status: number | null;
  /** stderr without the recorder's own line. */
  stderr: string;
  packages: string[];
}

/**
 * Runs the CLI with `args` (and `environment` instead of this process's, when given); asynchronous, so
 * that a loopback server in this process can answer it.
 */
export function runRecordingPackages(args: string[], environment?: NodeJS.ProcessEnv): Promise<PackagesRun> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [
        "--import",
        `data:text/javascript,${encodeURIComponent(recordPackages)}`,
        resolve(import.meta.dirname, "..", "cli", "main.ts"),
        ...args,
      ],
      { encoding: "utf8", timeout: 60_000, ...(environment === undefined ? {} : { env: environment }) },
      (error, _stdout, stderr) => {
        const line = /\npackages: (.*)\n/.exec(stderr);
        done({
          status: error === null ? 0 : typeof error.code === "number" ? error.code : null,
          stderr: stderr.replace(/\npackages: .*\n/, ""),
          packages: line?.[1] === undefined ? [] : (JSON.parse(line[1]) as string[]),
        });
      },
    );
  });
}
