/**
 * `distillscope ice`: Identity Consistency Evaluation. Each subcommand is one register function
 * (`ice judge` here; `ice run` is added the same way).
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import type { Command } from "commander";
import { InputError, RuntimeFailure } from "../../errors.ts";
import type { DeveloperDeclaration } from "../../identity/custom-developers.ts";
import { type DeveloperRecord, resolveDeveloperKey } from "../../identity/registry.ts";
import type { CompleteFunction } from "../../judges/identity-llm-judge.ts";
import type { IceJudgeOptions, TranscriptFormat } from "../../metrics/ice-judge.ts";
import type { Model } from "../../models/types.ts";
import { derivedJudgeSecret } from "../../secrets/judge-nonce-secret.ts";
import {
  failWhenJudgeMeasuredNothing,
  interruptSignal,
  prepareOutputFile,
  refuseOutputOverInput,
  resolveHome,
  wholeNumberFlag,
} from "../common.ts";
import type { CountProgress } from "../count-progress.ts";
import {
  addDeveloperOptions,
  type DeclaredDevelopers,
  type DeveloperFlags,
  developersFromFlags,
} from "../developer-flags.ts";
import { checkFailOn, failOnOption, parseFailOnFlags } from "../fail-on.ts";
import { checkJudgeFlag } from "../judge-flag.ts";
import { messageStream, resultPlace, writeResultJson } from "../result-output.ts";
import { identityFromId, onlyDeclaredIdentity } from "../target-identity.ts";
import { registerIceRun } from "./ice-run.ts";
import { summaryTable } from "./ice-summary.ts";

/** Registers `ice` and its subcommands. */
export function register(program: Command): void {
  const ice = program
    .command("ice")
    .description("Identity Consistency Evaluation: does a model claim to be another developer's model?");
  registerJudge(ice);
  registerIceRun(ice);
  // `ice run` joins here the same way: one register function per subcommand (registerIceRun in ./ice-run.ts).
}

interface JudgeFlags extends DeveloperFlags {
  format: string;
  identity?: string;
  judge: string;
  out: string;
  prompts?: string;
  seed: string;
  baseUrl?: string;
  judgeBaseUrl?: string;
  concurrency: string;
  failOn?: string[];
}

function registerJudge(ice: Command): void {
  const judge = ice
    .command("judge")
    .description(
      "judge recorded transcripts (the paper's attack_result JSONL, our JSONL, or an ICE result's items) and score ICE",
    )
    .addHelpText(
      "after",
      `
Examples:
  distillscope ice judge attack_result/gpt_GPT_glm-4-plus.jsonl --format lee2025 --identity zhipu --out glm.json
  distillscope ice judge answers.jsonl --format jsonl --identity deepseek --judge openai:gpt-4o-mini --out ice.json
  distillscope ice judge answers.jsonl --format jsonl --identity alibaba --out ice.json --fail-on "ice.strict > 0.05"
  distillscope ice judge answers.jsonl --format jsonl --identity alibaba --out - | jq .scores
  # judge an ice run result's answers again with an LLM judge (no model asked; templates kept)
  distillscope ice judge ice-qwen.json --format ice-result --judge openai:gpt-4o-mini --out ice-qwen-llm.json
  # a developer the registry does not know ("I am AcmeBot" is then the model's own identity)
  distillscope ice judge answers.jsonl --format jsonl --identity acme --developer-name "Acme AI" --developer-model AcmeBot --out ice.json
  distillscope ice judge answers.jsonl --format jsonl --developer-file acme.yaml --out ice.json

Exit codes: 0 done, 1 a --fail-on threshold was crossed, 2 bad usage or input, 3 runtime failure (or a
--fail-on threshold the result cannot measure).`,
    )
    .argument("<transcripts>", "transcripts file")
    .requiredOption(
      "--format <format>",
      "lee2025 | jsonl | ice-result (the items of an ice run or ice judge result, judged again)",
    )
    .option(
      "--identity <key>",
      "the target's developer key, any case, e.g. alibaba, deepseek, zhipu (default: from the file name, e.g. gpt_GPT_glm-4-plus.jsonl -> zhipu, or the lines' model field; declared developers count); see --developer-name for one the registry does not know",
    )
    .option("--judge <judge>", "embedded, or a judge model id such as openai:gpt-4o-mini", "embedded")
    .requiredOption(
      "--out <file>",
      "result JSON to write (- for standard output; the other lines then go to stderr)",
    )
    .option("--prompts <file>", "prompts JSONL to join collect output (id + response) by id")
    .option("--seed <n>", "seed for bootstrap intervals and judge nonces", "1")
    .option("--judge-base-url <url>", "base URL of the judge model (OpenAI-compatible endpoints)")
    .option("--base-url <url>", "the same as --judge-base-url (kept for older scripts)")
    .option("--concurrency <n>", "parallel judge calls", "4")
    .addOption(failOnOption("ice"));
  addDeveloperOptions(judge).action(async (transcripts: string, flags: JudgeFlags, command: Command) => {
    const quiet = Boolean(command.optsWithGlobals().quiet);
    const thresholds = parseFailOnFlags(flags.failOn, "ice");
    if (flags.format !== "lee2025" && flags.format !== "jsonl" && flags.format !== "ice-result") {
      throw new InputError(
        `--format "${flags.format}" is not supported; use --format lee2025, --format jsonl or --format ice-result`,
      );
    }
    const seed = parseInteger(flags.seed, "--seed");
    checkJudgeFlag(flags.judge);
    const concurrency = wholeNumberFlag("--concurrency", flags.concurrency, 1)!;
    // Writing the result over the transcripts (or the prompts) would replace the answers: refused first.
    refuseOutputOverInput(
      [{ flag: "--out", path: flags.out }],
      [
        { flag: "<transcripts>", path: transcripts },
        ...(flags.prompts === undefined ? [] : [{ flag: "--prompts", path: flags.prompts }]),
      ],
    );
    const declared = await developersFromFlags(
      flags,
      flags.format === "ice-result" ? developerOfResult(transcripts) : [],
    );
    const developers = declared.developers;
    prepareOutputFile(flags.out);
    const identity =
      flags.format === "ice-result" && declared.identity === undefined
        ? { key: await identityOfResult(transcripts, developers) }
        : await identityOfTranscripts(transcripts, declared);
    // An identity the user did not give is said first, so nobody is surprised by it.
    if (identity.note !== undefined && !quiet) messageStream(flags.out).write(`${identity.note}\n`);
    const options: IceJudgeOptions = {
      file: transcripts,
      format: flags.format as TranscriptFormat,
      identity: identity.key,
      seed,
      developers,
    };
    if (flags.prompts !== undefined) options.promptsFile = flags.prompts;
    let judgeStopped: () => Error | undefined = () => undefined;
    let judgeModel: Model | undefined;
    if (
      flags.baseUrl !== undefined &&
      flags.judgeBaseUrl !== undefined &&
      flags.baseUrl !== flags.judgeBaseUrl
    ) {
      throw new InputError("--base-url and --judge-base-url name different URLs; give only --judge-base-url");
    }
    const judgeBaseUrl = flags.judgeBaseUrl ?? flags.baseUrl;
    // An LLM judge takes minutes: progress on stderr, and Ctrl-C stops it (exit 3) with its verdicts kept.
    let interrupt: { signal: AbortSignal; dispose: () => void } | undefined;
    let progress: CountProgress | undefined;
    let rows = 0;
    let judgedRows = 0;
    if (flags.judge !== "embedded") {
      interrupt = interruptSignal();
      const engine = await engineComplete(
        flags.judge,
        judgeBaseUrl,
        command.optsWithGlobals().home,
        interrupt.signal,
      );
      judgeStopped = engine.stopped;
      judgeModel = engine.model;
      const { createCountProgress } = await import("../count-progress.ts");
      options.onProgress = (done, total) => {
        rows = total;
        // Rows after Ctrl-C fail at once: not counted as judged.
        if (interrupt?.signal.aborted !== true) judgedRows = done;
        progress ??= createCountProgress({ label: "ice judge", unit: "answers", total, quiet });
        progress.update(done);
      };
      options.llmJudge = {
        id: flags.judge,
        complete: engine.complete,
        concurrency,
        // Random per home (never derivable from the flags), stable within it so re-judging hits the cache.
        nonceSecret: derivedJudgeSecret(
          resolveHome({ home: command.optsWithGlobals().home }),
          `ice-judge:${seed}`,
        ),
      };
    }
    // Loaded here, not at the top, so that every other command starts without the judging code.
    const { judgeIceFile } = await import("../../metrics/ice-judge.ts");
    const interrupted = (): RuntimeFailure =>
      new RuntimeFailure(
        `interrupted: ${judgedRows} of ${rows} answers judged; the judge's replies are stored, so the same command resumes`,
      );
    const result = await judgeIceFile(options)
      .then((judged) => {
        if (interrupt?.signal.aborted !== true) progress?.stop();
        return judged;
      })
      .catch((error: unknown) => {
        throw interrupt?.signal.aborted === true ? interrupted() : error;
      })
      .finally(() => {
        // After an error or Ctrl-C the closing progress line would come after the error line.
        progress?.stop(false);
        interrupt?.dispose();
      });
    if (interrupt?.signal.aborted === true) throw interrupted();
    // Where the judged answers were asked (as the transcript's lines or the judged result record it),
    // and the LLM judge's endpoint.
    const { answeringModels } = await import("../../store/transcript-models.ts");
    const { askedModels } = await import("../../models/asked-models.ts");
    const models = [
      ...(await answeringModels(transcripts, flags.format)),
      ...askedModels([{ role: "judge", model: judgeModel }]),
    ];
    if (models.length > 0) Object.assign(result, { models });
    // An unreachable judge (or a fatal error such as a rejected key) stops the command: exit 3 (or 2),
    // not a result whose every row is a judge error.
    const stopped = judgeStopped();
    if (stopped !== undefined) throw stopped;
    writeResultJson(flags.out, result);
    const messages = messageStream(flags.out);
    if (!quiet) messages.write(summaryTable(result, resultPlace(flags.out)));
    await checkFailOn(thresholds, { subject: basename(transcripts), result }, quiet, messages);
    failWhenJudgeMeasuredNothing(result.judge, result.n, result.judgeErrors, flags.out);
  });
}

function parseInteger(value: string, flag: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new InputError(`${flag} must be a whole number, got "${value}"`);
  return parsed;
}

/**
 * Calls a judge model through the engine (cache, retries, rate limits) one request at a time. When the
 * engine stops the run (nothing listening at the base URL, a fatal provider error), every later call fails
 * at once and `stopped` returns that error.
 */
async function engineComplete(
  id: string,
  baseUrl: string | undefined,
  home: string | undefined,
  signal: AbortSignal,
): Promise<{ complete: CompleteFunction; stopped: () => Error | undefined; model: Model }> {
  const { createModel } = await import("../../models/registry.ts");
  const { openStore, runWork } = await import("../../engine/index.ts");
  const { resolveHome, roleModelOptions } = await import("../common.ts");
  const model = createModel(id, roleModelOptions(baseUrl, "--judge-base-url", "--judge"));
  const store = openStore(resolveHome({ home }));
  let counter = 0;
  let stoppedBy: Error | undefined;
  const complete: CompleteFunction = async (request) => {
    if (stoppedBy !== undefined) throw stoppedBy;
    counter++;
    let work: Awaited<ReturnType<typeof runWork>>;
    try {
      work = await runWork({
        model,
        items: [{ id: `ice-judge-${counter}`, request }],
        store,
        runLabel: "ice-judge",
        signal,
      });
    } catch (error) {
      // A bad request (400/422: say, one answer too long for the judge's context) fails that row only;
      // anything else (nothing listening, a rejected key, an unknown model) would fail every row.
      const status =
        error instanceof Error ? (error.cause as { status?: unknown } | undefined)?.status : undefined;
      if (status !== 400 && status !== 422)
        stoppedBy ??= error instanceof Error ? error : new Error(String(error));
      throw error;
    }
    const answer = work.answers[0];
    if (answer !== undefined) return { ok: true, text: answer.response, usage: answer.usage };
    const failure = work.failures[0];
    return failure?.error ?? { ok: false, errorClass: "fatal", message: "the engine returned no answer" };
  };
  return { complete, stopped: () => stoppedBy, model };
}

/**
 * The declared developer an ICE result was judged against (`source.developer`), so that judging its items
 * again counts the same names as the model's own; checked like a declaration on the command line.
 */
function developerOfResult(file: string): DeveloperDeclaration[] {
  try {
    const developer = (JSON.parse(readFileSync(file, "utf8")) as { source?: { developer?: unknown } }).source
      ?.developer;
    return developer !== null && typeof developer === "object" ? [developer as DeveloperDeclaration] : [];
  } catch {
    // A file that cannot be read or parsed is reported by the judge itself.
    return [];
  }
}

/** The developer an ICE result was judged against (its `identity`), for judging its items again. */
async function identityOfResult(file: string, developers: readonly DeveloperRecord[]): Promise<string> {
  const { readIceResultItems } = await import("../../corpus/ice-result-items.ts");
  const identity = readIceResultItems(file).identity;
  if (identity === undefined)
    throw new InputError(
      `--identity is needed: ${basename(file)} does not say which developer it was judged against`,
    );
  return resolveDeveloperKey(identity, developers);
}

/**
 * The developer the answers should claim: `--identity`; else the paper's attack_result file name
 * ("gpt_GPT_<model>.jsonl"); else the model every line names (what `collect` recorded: better evidence
 * than a name someone gave the file); else a model id in the file name ("glm-4-plus.jsonl"); else the
 * only developer of a one-developer `--developer-file`. Exit 2 when none says.
 */
async function identityOfTranscripts(
  file: string,
  declared: DeclaredDevelopers,
): Promise<{ key: string; note?: string }> {
  if (declared.identity !== undefined)
    return { key: resolveDeveloperKey(declared.identity, declared.developers) };
  const { attackNameOf, paperTargetFor } = await import("../../demo/paper-figures.ts");
  const name = basename(file);
  const paper = paperTargetFor(name)?.identity;
  if (paper !== undefined && declared.onlyDeclared !== undefined && declared.onlyDeclared !== paper)
    throw new InputError(
      `--identity is needed: the paper's file name "${name}" is a model of ${paper} but ${declared.declaredIn} declares one developer, ${declared.onlyDeclared}; pass --identity ${paper} or --identity ${declared.onlyDeclared}`,
    );
  const implied =
    (paper === undefined
      ? undefined
      : { key: paper, note: `identity: ${paper} (from the paper's file name)` }) ??
    (await identityOfModelField(file, declared)) ??
    identityFromId(attackNameOf(name) ?? name.replace(/\.[^.]*$/, ""), declared, "the file name") ??
    onlyDeclaredIdentity(declared);
  if (implied === undefined)
    throw new InputError(
      `--identity is needed: the developer is not clear from the file name "${name}" or its lines' "model" field (e.g. --identity deepseek)`,
    );
  return implied;
}

/**
 * The developer of the model every line names (`"model": "deepseek:deepseek-chat"`, as `collect` and
 * `transcripts export` write it), among the registry and the declared developers; undefined when lines
 * name none, an unknown model, or models of several developers (then --identity has to say which one is
 * being checked). A model id that names two developers is exit 2, as a target id is.
 */
async function identityOfModelField(
  file: string,
  declared: DeclaredDevelopers,
): Promise<{ key: string; note: string } | undefined> {
  const { readJsonLines } = await import("../../corpus/lee2025.ts");
  const models = new Set<string>();
  try {
    for await (const [, row] of readJsonLines(file)) {
      // A line that names no model leaves the developer open.
      if (typeof row.model !== "string") return undefined;
      models.add(row.model);
    }
  } catch {
    // A file that cannot be read is reported by the judge itself, with its line.
    return undefined;
  }
  const implied = [...models].map((model) => identityFromId(model, declared, 'the lines\' "model" field'));
  const keys = new Set(implied.map((identity) => identity?.key));
  return keys.size === 1 ? implied[0] : undefined;
}
