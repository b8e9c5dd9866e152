/**
 * The public corpora the demo downloads, with their exact file lists, and the functions that fetch
 * them into `<home>/downloads/` in the same layout as the repositories (so the importers read a
 * download and a local copy alike). Base URLs can be overridden (options or environment) so that
 * tests and mirrors work.
 */
import { join } from "node:path";
import { InputError, RuntimeFailure } from "../errors.ts";
import { type ContentCheck, type DownloadOutcome, downloadFile } from "./download.ts";

/** AlpacaEval `results/` at tatsu-lab/alpaca_eval (Apache-2.0). */
export const alpacaEvalDefaultBase = "https://raw.githubusercontent.com/tatsu-lab/alpaca_eval/main/results";

/**
 * Models fetched by default: the candidate teachers and the students with documented lineage
 * (their cards and papers say whose outputs they were trained on), plus human-data controls.
 */
export const alpacaEvalDefaultModels: readonly string[] = [
  "text_davinci_003",
  "gpt-3.5-turbo-0301",
  "gpt4_0314",
  "claude-2",
  "llama-2-70b-chat-hf",
  "gemini-pro",
  "mistral-medium",
  "alpaca-7b",
  "vicuna-13b",
  "wizardlm-13b",
  "baize-v2-13b",
  "openchat-13b",
  "OpenHermes-2.5-Mistral-7B",
  "guanaco-33b",
  "oasst-sft-pythia-12b",
  "llama-2-13b-chat-hf",
];

/** The candidate teachers among the default models. */
export const alpacaEvalDefaultCandidates: readonly string[] = alpacaEvalDefaultModels.slice(0, 7);

/** identity_jailbreak/data at Aegis1863/LLMs-Distillation-Quantification (Lee et al. 2025). */
export const lee2025DefaultBase =
  "https://raw.githubusercontent.com/Aegis1863/LLMs-Distillation-Quantification/main/identity_jailbreak/data";

/**
 * The paper's transcripts (file names as published, case included): one attack_result JSONL per
 * target (20 templates x 50 identity questions) and the strict-judge CSVs. Some runs were published
 * without the other file; the demo uses whichever it gets.
 */
export const lee2025Files: readonly string[] = [
  "GPT_identity.csv",
  "attack_result/gpt_GPT_claude-3-5-sonnet-20241022.jsonl",
  "attack_result/gpt_GPT_doubao-pro-32k.jsonl",
  "attack_result/gpt_GPT_gemini-2.0-flash-exp.jsonl",
  "attack_result/gpt_GPT_llama3.1-70b-instruct.jsonl",
  "attack_result/gpt_GPT_Phi4.jsonl",
  "attack_result/gpt_GPT_deepseek-chat.jsonl",
  "attack_result/GPT_GPT_deepseek-r1.jsonl",
  "attack_result/gpt_GPT_qwen-max-0919.jsonl",
  "attack_result/gpt_GPT_glm-4-plus.jsonl",
  "attack_result/gpt_GPT_qwen2.5-7b-instruct.jsonl",
  "attack_result/gpt_GPT_qwen2.5-14b.jsonl",
  "attack_result/gpt_GPT_qwen2.5-14b-instruct.jsonl",
  "attack_result/gpt_GPT_qwen2.5-72b.jsonl",
  "attack_result/gpt_GPT_qwen2.5-72b-instruct.jsonl",
  "strict_score/GPT_claude-3-5-sonnet-20241022_0.01.csv",
  "strict_score/GPT_doubao-pro-32k_0.01.csv",
  "strict_score/GPT_gemini-2.0-flash_0.035.csv",
  "strict_score/GPT_llama-3.1-70b-instruct_0.1.csv",
  "strict_score/GPT_phi-4_0.14.csv",
  "strict_score/GPT_deepseek-chat_0.22.csv",
  "strict_score/deepseek-r1_0.292.csv",
  "strict_score/GPT_qwen-max-0919_0.25.csv",
  "strict_score/GPT_glm-4-plus_0.30.csv",
  "strict_score/GPT_qwen2.5-7b_0.208.csv",
  "strict_score/GPT_qwen2.5-7b-instruct_0.001.csv",
  "strict_score/qwen2.5-14b_0.171.csv",
  "strict_score/GPT_qwen2.5-72b_0.211.csv",
  "strict_score/GPT_qwen2.5-72b-instruct_0.00.csv",
];

export interface CorpusDownloadOptions {
  /** DISTILLSCOPE_HOME; files go to `<home>/downloads/`. */
  home: string;
  baseUrl?: string;
  environment?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Files fetched at once (default 4). */
  parallel?: number;
  signal?: AbortSignal;
  onFile?: (event: { file: string; outcome?: DownloadOutcome; error?: Error }) => void;
}

export interface CorpusDownloadResult {
  /** Root of the downloaded corpus, in the repository's layout. */
  directory: string;
  downloaded: Array<{ file: string; outcome: DownloadOutcome }>;
  failed: Array<{ file: string; error: Error }>;
}

/** A model name as a single safe path segment; throws InputError otherwise (e.g. `../../x`). */
export function checkModelName(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._+-]*$/.test(name) || name.includes("..")) {
    throw new InputError(
      `model name "${name}" is not a plain AlpacaEval results name (letters, digits, . _ + -, no "..")`,
    );
  }
  return name;
}

/** Fetches `results/<model>/model_outputs.json` for each model into `<home>/downloads/alpacaeval/results`. */
export async function downloadAlpacaEval(
  options: CorpusDownloadOptions & { models?: readonly string[] },
): Promise<CorpusDownloadResult> {
  const base = options.baseUrl ?? options.environment?.DISTILLSCOPE_ALPACAEVAL_BASE ?? alpacaEvalDefaultBase;
  const models = (options.models ?? alpacaEvalDefaultModels).map(checkModelName);
  const directory = join(options.home, "downloads", "alpacaeval", "results");
  const files = models.map((model) => `${model}/model_outputs.json`);
  return downloadAll(options, base, directory, files, () => "json");
}

/** Fetches the paper's identity-jailbreak files into `<home>/downloads/identity-lee2025`. */
export async function downloadLee2025(
  options: CorpusDownloadOptions & { files?: readonly string[] },
): Promise<CorpusDownloadResult> {
  const base = options.baseUrl ?? options.environment?.DISTILLSCOPE_LEE2025_BASE ?? lee2025DefaultBase;
  const directory = join(options.home, "downloads", "identity-lee2025");
  return downloadAll(options, base, directory, options.files ?? lee2025Files, (file) =>
    file.endsWith(".jsonl") ? "jsonl" : "none",
  );
}

async function downloadAll(
  options: CorpusDownloadOptions,
  base: string,
  directory: string,
  files: readonly string[],
  checkFor: (file: string) => ContentCheck,
): Promise<CorpusDownloadResult> {
  const trimmedBase = base.replace(/\/+$/, "");
  const downloaded: CorpusDownloadResult["downloaded"] = [];
  const failed: CorpusDownloadResult["failed"] = [];
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++] as string;
      const url = `${trimmedBase}/${file.split("/").map(encodeURIComponent).join("/")}`;
      try {
        const outcome = await downloadFile({
          url,
          relativePath: file,
          cacheDirectory: directory,
          check: checkFor(file),
          timeoutMs: options.timeoutMs,
          signal: options.signal,
        });
        downloaded.push({ file, outcome });
        options.onFile?.({ file, outcome });
      } catch (error) {
        // A path that would escape the cache is a bug in the caller's input, not a network problem.
        if (error instanceof InputError) throw error;
        failed.push({ file, error: error as Error });
        options.onFile?.({ file, error: error as Error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.parallel ?? 4, files.length) }, worker));
  if (downloaded.length === 0 && failed.length > 0) {
    throw new RuntimeFailure(`could not download any file from ${trimmedBase}: ${failed[0]?.error.message}`);
  }
  const order = new Map(files.map((file, index) => [file, index]));
  downloaded.sort((left, right) => (order.get(left.file) ?? 0) - (order.get(right.file) ?? 0));
  return { directory, downloaded, failed };
}
