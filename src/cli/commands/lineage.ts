import { existsSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import type { Command } from "commander";
import type { AlignedCorpus } from "../../corpus/aligned-corpus.ts";
import type { CombinedCorpus } from "../../corpus/corpus-inputs.ts";
import { InputError } from "../../errors.ts";
import type { LineageEvidence, runLineage } from "../../metrics/lineage.ts";
import { pValueLabel } from "../../report/number-format.ts";
import { terminalSafeLine } from "../../text/terminal-text.ts";
import { candidateNames, candidatesOption, refuseSplitModelNames } from "../candidate-names.ts";
import { checkFailOn, failOnOption, parseFailOnFlags } from "../fail-on.ts";
import { isStandardOutput, messageStream, resultPlace, writeResultJson } from "../result-output.ts";

interface LineageFlags {
  format?: string;
  candidates?: string[];
  alpha: string;
  seed: string;
  threads?: string;
  out: string;
  failOn?: string[];
}

/** Registers `lineage`. */
export function register(program: Command): void {
  program
    .command("lineage")
    .description(
      "attribute each student model to the candidate teacher it is significantly closest to (or none)",
    )
    .argument(
      "<inputs...>",
      "AlpacaEval results folders, transcripts .jsonl files or folders of them (several: aligned on the prompt text)",
    )
    .addHelpText(
      "after",
      `
Examples:
  distillscope lineage alpaca_eval/results --format alpacaeval \\
    --candidates text_davinci_003,gpt4_0314,claude-2,llama-2-70b-chat-hf --out lineage.json
  distillscope lineage transcripts/ --format jsonl --out lineage.json   # every model against the others
  # --candidates may be repeated; a comma inside a model's name is written \\, (in quotes)
  distillscope lineage results/ --format alpacaeval --candidates gpt4_0314,claude-2 \\
    --candidates 'Some-Model\\,v2' --candidates llama-2-70b-chat-hf --out lineage.json
  distillscope lineage transcripts/ --format jsonl --out lineage.json --fail-on "lineage.teacher != null"
  distillscope lineage alpaca_eval/results --format alpacaeval --out - | jq .attributions
  # your model's and your candidates' answers to the AlpacaEval prompts, with the public outputs as
  # reference models (each input's format is detected; models are aligned on the prompt text)
  distillscope lineage alpaca_eval/results mine.jsonl teachers.jsonl \
    --candidates openai:teacher-a,openai:teacher-b --out lineage.json

Exit codes: 0 done, 1 a --fail-on threshold was crossed, 2 bad usage or input, 3 Ctrl-C (nothing is
written) or a --fail-on threshold the result cannot measure.`,
    )
    .option("--format <format>", "alpacaeval | jsonl, for every input (default: detected per input)")
    .addOption(candidatesOption())
    .option("--alpha <alpha>", "family-wise significance level", "0.05")
    .option("--seed <seed>", "accepted for compatibility; the test is analytic and deterministic", "1")
    .option("--threads <n>", "threads for the all-pairs similarity (default: every core)")
    .requiredOption(
      "--out <file>",
      "result JSON path (- for standard output; the other lines then go to stderr)",
    )
    .addOption(failOnOption("lineage"))
    .action(async (paths: string[], flags: LineageFlags, command: Command) => {
      // Loaded here, not at the top, so that every other command starts without them.
      const { alpacaEvalOutputFiles } = await import("../../corpus/alpacaeval.ts");
      const { transcriptsCorpusFiles } = await import("../../corpus/transcripts-corpus.ts");
      const { detectCorpusFormat, loadCorpusInputs } = await import("../../corpus/corpus-inputs.ts");
      const { checkLineageOptions, lineageEvidenceInParallel, minimumModelsForNull, runLineage } =
        await import("../../metrics/lineage.ts");
      const { interruptSignal, prepareOutputFile, refuseOutputOverInput } = await import("../common.ts");
      const { createCountProgress } = await import("../count-progress.ts");
      const quiet = command.optsWithGlobals().quiet === true;
      const thresholds = parseFailOnFlags(flags.failOn, "lineage");
      const alpha = Number(flags.alpha);
      if (!(alpha > 0 && alpha < 1))
        throw new InputError(`--alpha must be between 0 and 1, got "${flags.alpha}"`);
      const seed = Number(flags.seed);
      if (!Number.isInteger(seed)) throw new InputError(`--seed must be a whole number, got "${flags.seed}"`);
      const threads = flags.threads === undefined ? undefined : Number(flags.threads);
      if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1 && threads <= 256))
        throw new InputError(`--threads must be a whole number from 1 to 256, got "${flags.threads}"`);
      const format = flags.format;
      if (format !== undefined && format !== "alpacaeval" && format !== "jsonl")
        throw new InputError(`--format must be alpacaeval or jsonl, got "${format}"`);
      const inputs = paths.map((path) => ({ path, format: format ?? detectCorpusFormat(path) }));
      const candidates = flags.candidates === undefined ? undefined : candidateNames(flags.candidates);
      // Writing the result over one of the corpus files would replace a model's answers: refused first,
      // and an --out that cannot be written is found before the corpus is read.
      const inputFiles = inputs.flatMap((input) =>
        input.format === "alpacaeval"
          ? alpacaEvalOutputFiles(input.path)
          : transcriptsCorpusFiles(input.path),
      );
      refuseOutputOverInput(
        [{ flag: "--out", path: flags.out }],
        inputFiles.map((path) => ({ flag: "input", path })),
      );
      for (const input of inputs) refuseOutputReadAsInput(flags.out, input.path, input.format);
      prepareOutputFile(flags.out);
      const combined = loadCorpusInputs(inputs);
      const corpus = combined.corpus;
      if (!quiet && inputs.length > 1) printInputs(combined, process.stderr);
      // Candidates are checked before the long similarity: a typo costs nothing.
      if (flags.candidates !== undefined)
        refuseSplitModelNames(flags.candidates, [...corpus.models, ...(corpus.counts.emptyModels ?? [])]);
      checkLineageOptions(corpus, { candidates, alpha, seed });
      // The all-pairs similarity is the long part (about 25 s for 200 models x 805 prompts): it runs on
      // every core, with a progress bar (on stderr; nothing with --quiet).
      const progress = createCountProgress({
        label: "similarity",
        unit: "prompts",
        total: corpus.counts.prompts,
        quiet,
      });
      // Ctrl-C stops the worker threads at once (exit 3, nothing written), as it stops collect or rse run.
      const interrupt = interruptSignal();
      let evidence: LineageEvidence;
      let result: ReturnType<typeof runLineage>;
      try {
        try {
          evidence = await lineageEvidenceInParallel(corpus, {
            ...(threads !== undefined ? { threads } : {}),
            onProgress: (done) => progress.update(done),
            signal: interrupt.signal,
          });
        } catch (error) {
          progress.stop(false);
          throw error;
        }
        progress.stop();
        result = runLineage(corpus, { candidates, alpha, seed, signal: interrupt.signal }, evidence);
      } finally {
        interrupt.dispose();
      }
      // Where the transcripts' answers were asked, as their lines record it (AlpacaEval files record none).
      const { corpusTranscriptModels } = await import("../../store/transcript-models.ts");
      const answeredAt = await corpusTranscriptModels(
        inputs
          .filter((input) => input.format === "jsonl")
          .flatMap((input) => transcriptsCorpusFiles(input.path)),
        result.candidates,
      );
      if (answeredAt.length > 0) Object.assign(result, { models: answeredAt });
      writeResultJson(flags.out, result);
      const messages = messageStream(flags.out);
      if (!quiet) printSummary(result, corpus, flags.out, messages, minimumModelsForNull);
      await checkFailOn(thresholds, { subject: "lineage", result }, quiet, messages);
    });
}

/**
 * An --out the next run would read as part of the corpus: a file in a folder of an AlpacaEval results
 * folder that is not yet a model's (every folder there is read as a model), or a `.jsonl` file in a
 * transcripts folder. Refused, exit 2.
 */
function refuseOutputReadAsInput(out: string, directory: string, format: "alpacaeval" | "jsonl"): void {
  if (isStandardOutput(out)) return;
  const parts = relative(resolve(directory), resolve(out)).split(sep);
  if (parts[0] === ".." || isAbsolute(parts.join(sep)) || parts[0]?.startsWith(".")) return;
  // A file inside a model's folder is harmless: only its model_outputs.json is read.
  const readAsModel =
    format === "alpacaeval" &&
    parts.length >= 2 &&
    !existsSync(join(directory, parts[0]!, "model_outputs.json"));
  const readAsTranscripts = format === "jsonl" && parts.length === 1 && out.endsWith(".jsonl");
  if (readAsModel || readAsTranscripts)
    throw new InputError(
      `--out ${out}: inside the corpus folder, where the next run would read ${readAsModel ? `${join(directory, parts[0]!)} as a model's folder` : "it as a transcripts file"}; write the result next to the corpus folder or elsewhere`,
    );
}

/** What each input gave and how many prompts all their models share, for a run over several inputs. */
function printInputs(combined: CombinedCorpus, stream: NodeJS.WritableStream): void {
  for (const [index, input] of combined.inputs.entries()) {
    const models = input.models.length === 1 ? `model ${input.models[0]}` : `${input.models.length} models`;
    stream.write(
      `${terminalSafeLine(`input ${index + 1}: ${input.path} (${input.format}): ${models}, ${input.prompts} prompts`)}\n`,
    );
  }
  const { models, prompts } = combined.corpus.counts;
  stream.write(`aligned on the prompt text: ${prompts} prompts shared by all ${models} models\n`);
}

/**
 * One student's line. Untested (too few models for a between-model reference: `excess` NaN) says so and
 * how to fix it, with the most similar candidate; tested gives the teacher, p and the closest's z.
 */
function attributionLine(
  attribution: ReturnType<typeof runLineage>["attributions"][number],
  minimumModels: number,
): string {
  const top = attribution.ranking[0];
  if (top !== undefined && Number.isNaN(top.excess))
    return `${attribution.model}: not tested (needs at least ${minimumModels} models; add reference models, e.g. the public AlpacaEval outputs), closest candidate ${top.candidate}`;
  const closest = top ? `, closest ${top.candidate} z=${top.score.toFixed(2)}` : "";
  const family = attribution.family ? ` family ${attribution.family.join("/")}` : "";
  return `${attribution.model}: teacher ${attribution.teacher ?? "none"} (${pValueLabel(attribution.pValue)}${closest})${family}`;
}

/** The lines printed after a run: one per attributed model, the notes, and the corpus counts. */
function printSummary(
  result: ReturnType<typeof runLineage>,
  corpus: AlignedCorpus,
  out: string,
  stream: NodeJS.WritableStream,
  minimumModels: number,
): void {
  for (const attribution of result.attributions) {
    // Model names come from folder names or the transcripts' `model` field: one visible line each.
    stream.write(`${terminalSafeLine(attributionLine(attribution, minimumModels))}\n`);
  }
  if (result.attributions.length > 0)
    stream.write(
      `p: Holm-adjusted p-value of the closest candidate (teacher when p < ${result.method.alpha}); z: closeness to it above other models', in their spreads\n`,
    );
  if (result.method.note) stream.write(`note: ${terminalSafeLine(result.method.note)}\n`);
  for (const note of corpus.counts.notes ?? []) stream.write(`note: ${terminalSafeLine(note)}\n`);
  const { models, prompts, droppedPrompts, missingAnswers, duplicateAnswers } = corpus.counts;
  const duplicates = duplicateAnswers > 0 ? `, ${duplicateAnswers} duplicate answers kept once` : "";
  stream.write(
    `${models} models, ${prompts} aligned prompts (${droppedPrompts} not shared by all, ${missingAnswers} empty answers${duplicates}); wrote ${terminalSafeLine(resultPlace(out))}\n`,
  );
}
