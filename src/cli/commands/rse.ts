import type { Command } from "commander";
import type { EngineEvent } from "../../engine/types.ts";
import { InputError, RuntimeFailure } from "../../errors.ts";
import { terminalSafeLine } from "../../text/terminal-text.ts";
import { checkFailOn, failOnOption, parseFailOnFlags } from "../fail-on.ts";
import { checkJudgeFlag } from "../judge-flag.ts";
import {
  isStandardOutput,
  messageStream,
  resultPlace,
  resultRecord,
  writeResult,
  writeResultJson,
} from "../result-output.ts";

interface RseRunFlags {
  target: string;
  reference: string[];
  prompts: string[];
  judge: string;
  judgeBaseUrl?: string;
  baseUrl?: string;
  referenceBaseUrl?: string;
  apiKeyEnv?: string;
  referenceApiKeyEnv?: string;
  limit?: string;
  seed: string;
  out: string;
  md?: string;
  failOn?: string[];
  concurrency?: string;
  timeoutMs?: string;
  rpm?: string;
  tpm?: string;
  quiet?: boolean;
  home?: string;
}

function wholeNumber(flag: string, value: string | undefined, minimum: number): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < minimum)
    throw new InputError(`${flag} must be a whole number >= ${minimum}, got "${value}"`);
  return number;
}

const example = `
Examples:
  export OPENAI_API_KEY=... ANTHROPIC_API_KEY=... DEEPSEEK_API_KEY=...
  distillscope rse run --target deepseek:deepseek-chat --reference openai:gpt-4o-2024-08-06 \\
    --reference anthropic:claude-3-5-sonnet-20241022 --out rse.json
  distillscope rse run --target openai:my-model --base-url http://127.0.0.1:8000/v1 \\
    --reference openai:gpt-4o-2024-08-06 --reference anthropic:claude-3-5-sonnet-20241022 \\
    --prompts arena-hard:question.jsonl --prompts numina:train.parquet --prompts sharegpt:sharegpt.json \\
    --limit 200 --seed 0 --judge google:gemini-2.0-flash --out rse.json
  distillscope rse run --target deepseek:deepseek-chat --reference openai:gpt-4o-2024-08-06 \\
    --out rse.json --fail-on "rse.overall.lower >= 4.2"
  distillscope rse run --target deepseek:deepseek-chat --reference openai:gpt-4o-2024-08-06 --out - | jq .scores

Exit codes: 0 done, 1 a --fail-on threshold was crossed, 2 bad usage or input, 3 runtime failure (or a
--fail-on threshold the result cannot measure).

Answers and judge verdicts are stored under --home; re-running asks only what the store lacks.`;

/** The file a --prompts value reads ("kind:file" or a plain file); none for the built-in default set. */
function promptFile(value: string): Array<{ flag: string; path: string }> {
  if (value === "default") return [];
  const colon = value.indexOf(":");
  const known = ["arena-hard", "numina", "sharegpt", "alpacaeval", "jsonl"].includes(
    value.slice(0, Math.max(colon, 0)),
  );
  return [{ flag: "--prompts", path: known ? value.slice(colon + 1) : value }];
}

const repeatable = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Registers `rse run`. */
export function register(program: Command): void {
  const rse = program.command("rse").description("response similarity evaluation (RSE)");
  rse
    .command("run")
    .description("ask the target and reference models the same prompts and score how similar the answers are")
    .requiredOption("--target <id>", "model under test, provider:model")
    .requiredOption(
      "--reference <id>",
      "reference model (repeat for several; the first is primary)",
      repeatable,
    )
    .option(
      "--prompts <set>",
      "default | arena-hard:<file> | numina:<file> | sharegpt:<file> | alpacaeval:<file> | <file>.jsonl (repeat for several)",
      repeatable,
    )
    .option("--judge <embedded|id>", "embedded judge-free similarity, or an LLM judge model id", "embedded")
    .option("--limit <n>", "seeded sample of at most N prompts from each set")
    .option("--seed <s>", "seed of the prompt sample, bootstrap and permutation tests", "0")
    .requiredOption(
      "--out <result.json>",
      "where to write the RSE result JSON (- for standard output; the other lines then go to stderr)",
    )
    .option(
      "--md <file.md>",
      "also write the per-dataset tables (like the paper's Table 3) as Markdown (- for standard output)",
    )
    .option("--base-url <url>", "base URL of the target's OpenAI-compatible endpoint")
    .option("--reference-base-url <url>", "base URL of the references' OpenAI-compatible endpoint")
    .option(
      "--api-key-env <name>",
      "NAME of the environment variable holding the target's key (default: its provider's, e.g. OPENAI_API_KEY)",
    )
    .option(
      "--reference-api-key-env <name>",
      "NAME of the environment variable holding every reference's key (default: each provider's own)",
    )
    .option("--judge-base-url <url>", "base URL of an OpenAI-compatible LLM judge")
    .option("--concurrency <n>", "parallel requests per endpoint")
    .option("--timeout-ms <ms>", "timeout of one request")
    .option("--rpm <n>", "requests per minute at most")
    .option("--tpm <n>", "tokens per minute at most")
    .addOption(failOnOption("rse"))
    .addHelpText("after", example)
    .action(async (_options: unknown, command: Command) => {
      const flags = command.optsWithGlobals() as RseRunFlags;
      const thresholds = parseFailOnFlags(flags.failOn, "rse");
      // A misspelt "embedded" is named as such (as ice run and ice judge do), before anything is loaded.
      checkJudgeFlag(flags.judge);
      const limit = wholeNumber("--limit", flags.limit, 1);
      const seed = wholeNumber("--seed", flags.seed, 0)!;
      const concurrency = wholeNumber("--concurrency", flags.concurrency, 1);
      const timeoutMs = wholeNumber("--timeout-ms", flags.timeoutMs, 1);
      const requestsPerMinute = wholeNumber("--rpm", flags.rpm, 1);
      const tokensPerMinute = wholeNumber("--tpm", flags.tpm, 1);
      const { loadPromptSets } = await import("../../probes/prompt-sets/load.ts");
      const promptSets = await loadPromptSets(flags.prompts ?? [], {
        seed,
        ...(limit !== undefined ? { limit } : {}),
      });
      if (flags.quiet !== true) {
        const { shortenedNotes } = await import("../../probes/prompt-sets/shortened-notes.ts");
        for (const note of promptSets.flatMap(shortenedNotes))
          process.stderr.write(`note: ${terminalSafeLine(note)}\n`);
      }
      // Loaded here so that the rest of the CLI does not load the engine and adapters it does not use.
      const { openStore } = await import("../../engine/index.ts");
      const { createModel } = await import("../../models/registry.ts");
      const {
        failWhenJudgeMeasuredNothing,
        interruptSignal,
        modelInputFiles,
        prepareOutputFile,
        refuseOutputOverInput,
        resolveHome,
        roleModelOptions,
      } = await import("../common.ts");
      const { createProgressReporter } = await import("../progress.ts");
      const { runRse } = await import("../../rse/run.ts");
      const { judgeNonceSecret } = await import("../../rse/judge-secret.ts");
      const { failWhenModelAnsweredNothing } = await import("../../rse/answered-nothing.ts");
      const { renderRseTables } = await import("../../rse/table.ts");
      const { environmentForKeyFlag } = await import("../key-variable-flag.ts");
      const target = createModel(flags.target, {
        ...(flags.baseUrl ? { baseUrl: flags.baseUrl } : {}),
        environment: environmentForKeyFlag(flags.target, flags.apiKeyEnv, "--api-key-env"),
      });
      const references = flags.reference.map((id) =>
        createModel(id, {
          ...roleModelOptions(flags.referenceBaseUrl, "--reference-base-url", "--reference"),
          environment: environmentForKeyFlag(id, flags.referenceApiKeyEnv, "--reference-api-key-env"),
        }),
      );
      // Writing --out or --md over a prompt file or a replayed transcript would replace it: refused first.
      refuseOutputOverInput(
        [
          { flag: "--out", path: flags.out },
          ...(flags.md === undefined ? [] : [{ flag: "--md", path: flags.md }]),
        ],
        [
          ...(flags.prompts ?? []).flatMap((value) => promptFile(value)),
          ...modelInputFiles("--target", flags.target),
          ...flags.reference.flatMap((id) => modelInputFiles("--reference", id)),
          ...(flags.judge === "embedded" ? [] : modelInputFiles("--judge", flags.judge)),
        ],
      );
      prepareOutputFile(flags.out);
      if (flags.md !== undefined) prepareOutputFile(flags.md, "--md");
      const home = resolveHome(flags);
      const judge =
        flags.judge === "embedded"
          ? ({ kind: "embedded" } as const)
          : {
              kind: "llm" as const,
              model: createModel(
                flags.judge,
                roleModelOptions(flags.judgeBaseUrl, "--judge-base-url", "--judge"),
              ),
              nonceSecret: judgeNonceSecret(home),
            };
      // An Entra ID sign-in that fails stops the run here, before any model is asked anything.
      const { signInBeforeRequests } = await import("../../models/azure-entra-id.ts");
      await signInBeforeRequests([target, ...references, judge.kind === "llm" ? judge.model : undefined]);
      const store = openStore(home);
      // Ctrl-C stops the run (exit 3, answers kept for the resume) like collect, ice run and audit.
      const interrupt = interruptSignal();
      /** Answers stored in this run (asked now or taken from the store), for the interrupt message. */
      let stored = 0;
      const interrupted = () =>
        new RuntimeFailure(
          `interrupted: ${stored} answers are stored; run the same command again to resume (nothing is asked twice)`,
        );
      let progress:
        | { onEvent: (event: EngineEvent) => void; stop: (finalLine?: boolean) => void }
        | undefined;
      try {
        const result = await runRse({
          target,
          references,
          promptSets,
          store,
          judge,
          seed,
          onPhase: (label, total) => {
            progress?.stop();
            progress = createProgressReporter({ label, total, quiet: flags.quiet === true });
          },
          onEvent: (event) => {
            if (event.type === "answer") stored++;
            progress?.onEvent(event);
          },
          signal: interrupt.signal,
          ...(concurrency !== undefined ? { concurrency } : {}),
          ...(timeoutMs !== undefined ? { timeoutMs } : {}),
          ...(requestsPerMinute !== undefined ? { requestsPerMinute } : {}),
          ...(tokensPerMinute !== undefined ? { tokensPerMinute } : {}),
        }).catch((error: unknown) => {
          if (!interrupt.signal.aborted) throw error;
          throw interrupted();
        });
        // An interrupt that the run absorbed (the unanswered turns count as failures) is still an interrupt:
        // no partial result is written.
        if (interrupt.signal.aborted) throw interrupted();
        progress?.stop();
        writeResultJson(flags.out, result);
        const tables = renderRseTables(result);
        if (flags.md !== undefined) writeResult(flags.md, tables);
        // With --out - (or --md -) standard output holds that document alone: the rest goes to stderr.
        const messages = messageStream(isStandardOutput(flags.md) ? flags.md : flags.out);
        if (flags.quiet !== true) messages.write(`${tables}\nresult -> ${resultPlace(flags.out)}\n`);
        await checkFailOn(thresholds, { subject: flags.target, result }, flags.quiet === true, messages);
        failWhenModelAnsweredNothing(result, [target, ...references], resultRecord(flags.out), home);
        failWhenJudgeMeasuredNothing(result.judge, result.n, result.failures.judge, flags.out);
      } finally {
        // Stopped already on success; after an error the closing progress line would be a second line.
        progress?.stop(false);
        interrupt.dispose();
        store.close?.();
      }
    });
}
