import type { Command } from "commander";
import { InputError, RuntimeFailure } from "../../errors.ts";
import { terminalSafeLine } from "../../text/terminal-text.ts";
import {
  addModelOptions,
  globalFlags,
  type ModelFlags,
  modelInputFiles,
  parseModelOptions,
  prepareOutputFile,
  refuseOutputOverInput,
  resolveHome,
  wholeNumberFlag,
} from "../common.ts";
import { isStandardOutput, resultPlace } from "../result-output.ts";

interface CollectFlags extends ModelFlags {
  target: string;
  prompts: string;
  out: string;
  samples?: string;
  temperature?: string;
}

const example = `
Example:
  export OPENAI_API_KEY=...
  distillscope collect --target openai:gpt-4o-mini --prompts prompts.jsonl --out transcripts.jsonl
  distillscope collect --target openai:qwen2.5-7b --base-url http://127.0.0.1:8000/v1 \\
    --prompts prompts.jsonl --samples 5 --concurrency 32 --rpm 600 --out samples.jsonl
  distillscope collect --target openai:my-model --base-url https://models.example.com/v1 \\
    --api-key-env MY_ENDPOINT_KEY --prompts prompts.jsonl --out mine.jsonl   # key not in OPENAI_API_KEY
  distillscope collect --target openai:gpt-4o-mini --prompts prompts.jsonl --out - | jq -c .response

  # AlpacaEval's 805 instructions (alpaca_eval.json, or any results/<model>/model_outputs.json), for lineage
  distillscope collect --target openai:my-model --prompts alpaca_eval.json --out my-answers.jsonl

Prompt lines: {"id": "q1", "prompt": "..."} or {"id": "q1", "messages": [...], "system": "..."}.
A .json prompt file is an AlpacaEval list: each "instruction" is asked as written (ids "0", "1", ...).
Output: one JSON line per prompt (and sample), in input order. Re-running asks only what the store lacks.
--out - writes the lines to standard output when the run ends (progress and the summary go to stderr).`;

/** `distillscope collect`: prompts -> engine -> transcript JSONL. */
export function register(program: Command): void {
  const command = program
    .command("collect")
    .description("send every prompt of a JSONL file to a model and write one transcript line per prompt")
    .requiredOption("--target <id>", "model id, provider:model (e.g. openai:gpt-4o-mini)")
    .requiredOption(
      "--prompts <file.jsonl>",
      "prompt file: JSONL, one JSON object per line, or an AlpacaEval .json list (alpaca_eval.json, model_outputs.json)",
    )
    .requiredOption(
      "--out <transcripts.jsonl>",
      "where to write the transcript lines (- for standard output; the other lines then go to stderr)",
    )
    .option("--samples <k>", "answers per prompt (repeated sampling)", "1")
    .option("--temperature <t>", "sampling temperature (default 0, or 0.7 when --samples > 1)");
  addModelOptions(command).addHelpText("after", example);
  command.action(async (_options: unknown, self: Command) => {
    const flags = self.opts() as CollectFlags;
    const globals = globalFlags(self);
    const modelOptions = parseModelOptions(flags);
    const samples = wholeNumberFlag("--samples", flags.samples) ?? 1;
    let temperature: number | undefined;
    if (flags.temperature !== undefined) {
      temperature = Number(flags.temperature);
      if (!Number.isFinite(temperature))
        throw new InputError(`--temperature must be a number, got "${flags.temperature}"`);
    }
    // An --out that is an input (the prompts, a replayed transcript) or cannot be written (a folder, a
    // read-only place) fails here, before any request.
    refuseOutputOverInput(
      [{ flag: "--out", path: flags.out }],
      [{ flag: "--prompts", path: flags.prompts }, ...modelInputFiles("--target", flags.target)],
    );
    prepareOutputFile(flags.out);
    const { createModel } = await import("../../models/registry.ts");
    const { openStore } = await import("../../store/store.ts");
    const { collect } = await import("../../engine/collect.ts");
    const { createProgressReporter } = await import("../progress.ts");
    const { interruptSignal } = await import("../common.ts");
    const { environmentForKeyFlag } = await import("../key-variable-flag.ts");
    const model = createModel(flags.target, {
      ...(modelOptions.baseUrl === undefined ? {} : { baseUrl: modelOptions.baseUrl }),
      environment: environmentForKeyFlag(flags.target, flags.apiKeyEnv, "--api-key-env"),
    });
    const { signInBeforeRequests } = await import("../../models/azure-entra-id.ts");
    await signInBeforeRequests([model]);
    const store = openStore(resolveHome(globals));
    const interrupt = interruptSignal();
    let progress: ReturnType<typeof createProgressReporter> | undefined;
    try {
      const outcome = await collect({
        model,
        store,
        promptsPath: flags.prompts,
        outPath: flags.out,
        ...(isStandardOutput(flags.out) ? { output: process.stdout } : {}),
        samples,
        ...(temperature === undefined ? {} : { temperature }),
        ...(modelOptions.concurrency === undefined ? {} : { concurrency: modelOptions.concurrency }),
        ...(modelOptions.timeoutMs === undefined ? {} : { timeoutMs: modelOptions.timeoutMs }),
        ...(modelOptions.requestsPerMinute === undefined
          ? {}
          : { requestsPerMinute: modelOptions.requestsPerMinute }),
        ...(modelOptions.tokensPerMinute === undefined
          ? {}
          : { tokensPerMinute: modelOptions.tokensPerMinute }),
        signal: interrupt.signal,
        onTotal: (total) => {
          progress = createProgressReporter({ label: "collect", total, quiet: globals.quiet });
        },
        onEvent: (event) => progress?.onEvent(event),
      });
      progress?.stop();
      progress = undefined;
      const { stats } = outcome;
      if (!globals.quiet)
        process.stderr.write(
          `collect ${flags.target}: ${outcome.written} lines -> ${resultPlace(flags.out)} (${stats.answered} asked, ${stats.cached} from the store, ${stats.retries} retries, ${stats.failed} failed)\n`,
        );
      if (outcome.failures.length > 0) {
        for (const failure of outcome.failures)
          process.stderr.write(
            // The prompt id comes from the prompts file and the message from the server: one visible line.
            `failed: ${terminalSafeLine(`${failure.id} sample ${failure.sample}: ${failure.error.errorClass}: ${failure.error.message}`)}\n`,
          );
        const rateLimited = outcome.failures.filter(
          (failure) => failure.error.errorClass === "rate_limited",
        ).length;
        // Retrying the same way into the same limit fails the same way: the fix is the pace.
        const pace =
          rateLimited === 0
            ? ""
            : `; ${rateLimited === outcome.failures.length ? "all" : rateLimited} of them kept getting 429 (rate limited): lower --concurrency or set --rpm / --tpm to the provider's limits (or wait for its quota to reset)`;
        throw new RuntimeFailure(
          `${outcome.failures.length} of ${stats.total} requests failed after retries; the ${outcome.written} answers that arrived are ${isStandardOutput(flags.out) ? "on standard output" : `in ${flags.out}`}; run the same command again to retry the rest${pace}`,
        );
      }
    } finally {
      progress?.stop(false);
      interrupt.dispose();
      store.close();
    }
  });
}
