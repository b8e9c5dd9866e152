/**
 * Where the demo's two corpora come from: a local copy given on the command line, the download cache
 * under DISTILLSCOPE_HOME, or a fresh download (which fills that cache).
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { downloadAlpacaEval, downloadLee2025 } from "../corpus/download-sources.ts";
import { InputError, RuntimeFailure } from "../errors.ts";
import { optionName } from "../options/option-name.ts";

export interface DemoSourceOptions {
  home: string;
  alpacaevalDirectory?: string;
  lee2025Directory?: string;
  offline?: boolean;
  environment?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

export interface DemoSources {
  /** `<dir>/<model>/model_outputs.json` */
  alpacaevalDirectory: string;
  /** `<dir>/attack_result/*.jsonl`, `<dir>/strict_score/*.csv` */
  lee2025Directory: string;
  /** How each was obtained, for the printed summary. */
  origin: { alpacaeval: "local" | "cache" | "download"; lee2025: "local" | "cache" | "download" };
  /** Files that could not be downloaded (the demo goes on without them). */
  missing: string[];
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

function checkLocal(
  path: string,
  flag: string,
  expect: string,
  probe: (directory: string) => boolean,
): string {
  const directory = resolve(path);
  if (!isDirectory(directory)) throw new InputError(`${flag} ${path}: no such directory`);
  if (!probe(directory)) throw new InputError(`${flag} ${path}: expected ${expect}`);
  return directory;
}

const hasModelOutputs = (directory: string) =>
  readdirSync(directory).some((name) => existsSync(join(directory, name, "model_outputs.json")));
const hasAttackResults = (directory: string) =>
  isDirectory(join(directory, "attack_result")) &&
  readdirSync(join(directory, "attack_result")).some((name) => name.endsWith(".jsonl"));

/**
 * A download that got nothing (no network, a firewall) says how to go on without it. The downloader
 * uses Node's fetch, which honours HTTPS_PROXY only when NODE_USE_ENV_PROXY=1 is set too.
 */
async function withDownloadFix<Result>(
  mirrorVariable: string,
  download: () => Promise<Result>,
): Promise<Result> {
  try {
    return await download();
  } catch (error) {
    if (!(error instanceof RuntimeFailure)) throw error;
    throw new RuntimeFailure(
      `${error.message}; give local copies with --alpacaeval <dir> and --lee2025 <dir>, set ${mirrorVariable} ` +
        "to a mirror, or behind a proxy set HTTPS_PROXY and NODE_USE_ENV_PROXY=1",
      { cause: error },
    );
  }
}

/** Resolves (and downloads when needed) both corpora. */
export async function resolveDemoSources(options: DemoSourceOptions): Promise<DemoSources> {
  const missing: string[] = [];
  const log = options.log ?? (() => {});
  const cachedAlpaca = join(options.home, "downloads", "alpacaeval", "results");
  const cachedLee = join(options.home, "downloads", "identity-lee2025");

  let alpacaevalDirectory: string;
  let alpacaOrigin: DemoSources["origin"]["alpacaeval"];
  if (options.alpacaevalDirectory !== undefined) {
    alpacaevalDirectory = checkLocal(
      options.alpacaevalDirectory,
      optionName("alpacaevalDirectory", "--alpacaeval"),
      "AlpacaEval results: <dir>/<model>/model_outputs.json",
      hasModelOutputs,
    );
    alpacaOrigin = "local";
  } else if (options.offline) {
    if (!isDirectory(cachedAlpaca) || !hasModelOutputs(cachedAlpaca)) {
      throw new InputError(
        `${optionName("offline", "--offline")}: no AlpacaEval download in ${cachedAlpaca}; run once without --offline or pass --alpacaeval <dir>`,
      );
    }
    alpacaevalDirectory = cachedAlpaca;
    alpacaOrigin = "cache";
  } else {
    log("downloading AlpacaEval model outputs...");
    const result = await withDownloadFix("DISTILLSCOPE_ALPACAEVAL_BASE", () =>
      downloadAlpacaEval({ home: options.home, environment: options.environment }),
    );
    missing.push(...result.failed.map((failure) => `${failure.file}: ${failure.error.message}`));
    alpacaevalDirectory = result.directory;
    alpacaOrigin = result.downloaded.every((entry) => entry.outcome.cached) ? "cache" : "download";
  }

  let lee2025Directory: string;
  let leeOrigin: DemoSources["origin"]["lee2025"];
  if (options.lee2025Directory !== undefined) {
    lee2025Directory = checkLocal(
      options.lee2025Directory,
      optionName("lee2025Directory", "--lee2025"),
      "the paper's layout: <dir>/attack_result/*.jsonl",
      hasAttackResults,
    );
    leeOrigin = "local";
  } else if (options.offline) {
    if (!isDirectory(cachedLee) || !hasAttackResults(cachedLee)) {
      throw new InputError(
        `${optionName("offline", "--offline")}: no identity-jailbreak download in ${cachedLee}; run once without --offline or pass --lee2025 <dir>`,
      );
    }
    lee2025Directory = cachedLee;
    leeOrigin = "cache";
  } else {
    log("downloading the paper's identity-jailbreak transcripts...");
    const result = await withDownloadFix("DISTILLSCOPE_LEE2025_BASE", () =>
      downloadLee2025({ home: options.home, environment: options.environment }),
    );
    missing.push(...result.failed.map((failure) => `${failure.file}: ${failure.error.message}`));
    lee2025Directory = result.directory;
    leeOrigin = result.downloaded.every((entry) => entry.outcome.cached) ? "cache" : "download";
  }
  return {
    alpacaevalDirectory,
    lee2025Directory,
    origin: { alpacaeval: alpacaOrigin, lee2025: leeOrigin },
    missing,
  };
}
