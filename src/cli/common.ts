/** Option helpers shared by the commands that talk to models: home, model flags, global flags, Ctrl-C. */
import { accessSync, constants, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Command } from "commander";
import { InputError, RuntimeFailure } from "../errors.ts";
import { makeFolder, NotAFolderError } from "../files/make-folder.ts";
import { sameFile } from "../files/same-file.ts";
import { transcriptFiles } from "../models/replay.ts";
import { isStandardOutput, resultRecord } from "./result-output.ts";

/** The state directory: `--home`, else DISTILLSCOPE_HOME, else ./.distillscope (absolute). */
export function resolveHome(options: { home?: string | undefined }, environment = process.env): string {
  return resolve(options.home ?? environment.DISTILLSCOPE_HOME ?? ".distillscope");
}

/** Adds the flags every model-calling command takes: --base-url, --concurrency, --timeout-ms, --rpm, --tpm. */
export function addModelOptions(command: Command): Command {
  return command
    .option("--base-url <url>", "base URL of the model's endpoint (OpenAI-compatible: ends in /v1)")
    .option(
      "--api-key-env <name>",
      "NAME of the environment variable holding the model's key (default: its provider's, e.g. OPENAI_API_KEY)",
    )
    .option("--concurrency <n>", "most requests in flight to the endpoint (default 8)")
    .option("--timeout-ms <ms>", "timeout of one attempt in milliseconds (default 60000)")
    .option("--rpm <n>", "requests per minute at most")
    .option("--tpm <n>", "tokens per minute at most");
}

export interface ModelFlags {
  baseUrl?: string;
  /** Read by each command with environmentForKeyFlag (src/cli/key-variable-flag.ts), not parseModelOptions. */
  apiKeyEnv?: string;
  concurrency?: string | number;
  timeoutMs?: string | number;
  rpm?: string | number;
  tpm?: string | number;
}

export interface ModelOptions {
  baseUrl?: string;
  concurrency?: number;
  timeoutMs?: number;
  requestsPerMinute?: number;
  tokensPerMinute?: number;
}

/** A whole number flag >= minimum, or undefined when absent; InputError naming the flag otherwise. */
export function wholeNumberFlag(
  flag: string,
  value: string | number | undefined,
  minimum = 1,
): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < minimum)
    throw new InputError(`${flag} must be a whole number >= ${minimum}, got "${value}"`);
  return number;
}

/** Parses the flags added by addModelOptions. */
export function parseModelOptions(flags: ModelFlags): ModelOptions {
  const options: ModelOptions = {};
  if (flags.baseUrl !== undefined) {
    // URL.canParse accepts "localhost:8000/v1" (as the scheme "localhost:"): only http(s) URLs reach a server.
    if (!/^https?:\/\//i.test(flags.baseUrl) || !URL.canParse(flags.baseUrl)) {
      throw new InputError(
        `--base-url must be a URL such as http://127.0.0.1:8000/v1, got "${flags.baseUrl}"`,
      );
    }
    options.baseUrl = flags.baseUrl;
  }
  const concurrency = wholeNumberFlag("--concurrency", flags.concurrency);
  const timeoutMs = wholeNumberFlag("--timeout-ms", flags.timeoutMs);
  const requestsPerMinute = wholeNumberFlag("--rpm", flags.rpm);
  const tokensPerMinute = wholeNumberFlag("--tpm", flags.tpm);
  if (concurrency !== undefined) options.concurrency = concurrency;
  if (timeoutMs !== undefined) options.timeoutMs = timeoutMs;
  if (requestsPerMinute !== undefined) options.requestsPerMinute = requestsPerMinute;
  if (tokensPerMinute !== undefined) options.tokensPerMinute = tokensPerMinute;
  return options;
}

export interface GlobalFlags {
  home?: string;
  quiet: boolean;
  debug: boolean;
}

/** The program-wide flags (--home, --quiet, --debug) as seen from any subcommand. */
export function globalFlags(command: Command): GlobalFlags {
  const flags = command.optsWithGlobals() as { home?: string; quiet?: boolean; debug?: boolean };
  return {
    ...(flags.home === undefined ? {} : { home: flags.home }),
    quiet: flags.quiet === true,
    debug: flags.debug === true,
  };
}

/** Called on Ctrl-C before the interrupt message is written (a progress bar ends its line). */
const beforeInterruptMessage = new Set<() => void>();

/** Registers `listener` to run on Ctrl-C before the message; returns the function that removes it. */
export function onInterrupt(listener: () => void): () => void {
  beforeInterruptMessage.add(listener);
  return () => beforeInterruptMessage.delete(listener);
}

/**
 * An AbortSignal that the first Ctrl-C (SIGINT) or SIGTERM aborts; a second Ctrl-C exits at once.
 * Call `dispose` when the work is done so that the handlers do not outlive it.
 */
export function interruptSignal(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSignal = (): void => {
    if (controller.signal.aborted) process.exit(130);
    for (const listener of beforeInterruptMessage) listener();
    process.stderr.write("distillscope: interrupted, stopping (stored answers are kept)\n");
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}

/**
 * Checks, before a long command spends anything, that its result file can be written: makes the folder
 * and checks it is writable, and that the path is not a folder. Exit 2 with one line otherwise, so a typo
 * in --out is found at the start, not after every model call. Standard output (`-`) needs nothing.
 */
export function prepareOutputFile(path: string, flag = "--out"): void {
  if (isStandardOutput(path)) return;
  const absolute = resolve(path);
  let problem: string | undefined;
  try {
    makeFolder(dirname(absolute));
    accessSync(dirname(absolute), constants.W_OK);
    if (statSync(absolute, { throwIfNoEntry: false })?.isDirectory() === true) problem = "is a folder";
  } catch (error) {
    problem =
      error instanceof NotAFolderError
        ? error.message
        : `cannot be written (${(error as NodeJS.ErrnoException).code ?? "error"})`;
  }
  if (problem !== undefined) throw new InputError(`${flag} ${path}: ${problem}; ${checkPathAdvice}`);
}

/** A file given on the command line, with the flag that names it (for messages). */
export interface NamedFile {
  flag: string;
  path: string;
}

/** The files a model id reads: a `replay:` model's transcript files; none for a provider. */
export function modelInputFiles(flag: string, modelId: string): NamedFile[] {
  if (!modelId.startsWith("replay:")) return [];
  const spec = modelId.slice("replay:".length);
  const hash = spec.lastIndexOf("#");
  try {
    return transcriptFiles(hash === -1 ? spec : spec.slice(0, hash)).map((path) => ({ flag, path }));
  } catch {
    // A missing replay path is reported where the model is created.
    return [];
  }
}

/**
 * Refuses (exit 2, before anything is asked) an output file that is one of the input files, or another
 * output: writing the result would silently replace that file (`--out prompts.jsonl`). Two outputs
 * on standard output (`--out - --md -`) would mix into one stream: refused as well.
 */
export function refuseOutputOverInput(outputs: readonly NamedFile[], inputs: readonly NamedFile[]): void {
  for (const [index, output] of outputs.entries()) {
    if (isStandardOutput(output.path)) {
      const other = outputs.slice(0, index).find((earlier) => isStandardOutput(earlier.path));
      if (other !== undefined)
        throw new InputError(
          `${output.flag} - and ${other.flag} -: only one output can go to standard output; give ${output.flag} a file`,
        );
      continue;
    }
    for (const other of [...inputs, ...outputs.slice(0, index)])
      if (!isStandardOutput(other.path) && sameFile(output.path, other.path))
        throw new InputError(
          `${output.flag} ${output.path}: is the same file as ${other.flag} ${other.path}, which writing ` +
            `${output.flag} would replace; give ${output.flag} another file`,
        );
  }
}

/** What to do about a path that cannot be written (shared by every such message). */
export const checkPathAdvice = "check the path, and that its folder exists and is writable";

/**
 * createModel options for a judge, reference or helper: its own base URL flag (when given) and the
 * flags that name it in errors.
 */
export function roleModelOptions(
  baseUrl: string | undefined,
  baseUrlFlag: string,
  modelFlag: string,
): { baseUrl?: string; baseUrlFlag: string; modelFlag: string } {
  return { ...(baseUrl ? { baseUrl } : {}), baseUrlFlag, modelFlag };
}

/**
 * After a result is written: an LLM judge that gave no usable verdict for any answer measured nothing,
 * so the command fails (exit 3) instead of reporting null scores with exit 0. Its errors stay in the
 * result file, which is kept as the record of what happened.
 */
export function failWhenJudgeMeasuredNothing(
  judge: string,
  judged: number,
  judgeErrors: number,
  outFile: string,
  fix = "check the judge model and its endpoint, or use --judge embedded",
): void {
  if (judged > 0 || judgeErrors === 0) return;
  throw new RuntimeFailure(
    `judge ${judge} gave no usable verdict for any of ${judgeErrors} answers, so nothing was measured ` +
      `(each error is in ${resultRecord(outFile)}); ${fix}`,
  );
}
