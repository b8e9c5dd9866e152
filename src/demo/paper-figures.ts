/**
 * Published ICE figures of Lee et al. 2025, "Distillation Quantification for Large Language Models"
 * (arXiv 2501.12619), as printed in its repository README (github.com/Aegis1863/LLMs-Distillation-Quantification):
 * Figure 2 (loose / strict / hard, two decimals) and the base-versus-instruct table (strict only,
 * three decimals). Facts from the paper, used only to compare our re-judging with the published numbers.
 */

export interface PublishedIce {
  loose?: number;
  strict?: number;
  hard?: number;
  /** Where the figures are printed. */
  source: string;
}

/** One of the paper's target models, as its files name it. */
export interface PaperTarget {
  /** The model name in `attack_result/gpt_GPT_<name>.jsonl` (case as published). */
  attackName: string;
  /** How the paper labels the model. */
  paperLabel: string;
  /** Developer key of the model's true developer (the identity it should claim). */
  identity: string;
  /** The strict-judge CSV in `strict_score/`, when one was published. */
  strictFile?: string;
  published?: PublishedIce;
}

const figure2 = "Figure 2 (README)";
const baseInstructTable = "README base vs instruct table";

export const paperTargets: readonly PaperTarget[] = [
  {
    attackName: "claude-3-5-sonnet-20241022",
    paperLabel: "Claude",
    identity: "anthropic",
    strictFile: "GPT_claude-3-5-sonnet-20241022_0.01.csv",
    published: { loose: 0.01, strict: 0.0, hard: 0.0, source: figure2 },
  },
  {
    attackName: "doubao-pro-32k",
    paperLabel: "Doubao",
    identity: "bytedance",
    strictFile: "GPT_doubao-pro-32k_0.01.csv",
    published: { loose: 0.04, strict: 0.01, hard: 0.0, source: figure2 },
  },
  {
    attackName: "gemini-2.0-flash-exp",
    paperLabel: "Gemini",
    identity: "google",
    strictFile: "GPT_gemini-2.0-flash_0.035.csv",
    published: { loose: 0.24, strict: 0.04, hard: 0.0, source: figure2 },
  },
  {
    attackName: "llama3.1-70b-instruct",
    paperLabel: "Llama3.1",
    identity: "meta",
    strictFile: "GPT_llama-3.1-70b-instruct_0.1.csv",
    published: { loose: 0.31, strict: 0.1, hard: 0.0, source: figure2 },
  },
  {
    attackName: "Phi4",
    paperLabel: "Phi4",
    identity: "microsoft",
    strictFile: "GPT_phi-4_0.14.csv",
    published: { loose: 0.22, strict: 0.14, hard: 0.02, source: figure2 },
  },
  {
    attackName: "deepseek-chat",
    paperLabel: "DPSK-V3",
    identity: "deepseek",
    strictFile: "GPT_deepseek-chat_0.22.csv",
    published: { loose: 0.34, strict: 0.22, hard: 0.07, source: figure2 },
  },
  {
    attackName: "deepseek-r1",
    paperLabel: "DeepSeek-R1",
    identity: "deepseek",
    strictFile: "deepseek-r1_0.292.csv",
  },
  {
    attackName: "qwen-max-0919",
    paperLabel: "Qwen-Max",
    identity: "alibaba",
    strictFile: "GPT_qwen-max-0919_0.25.csv",
    published: { loose: 0.34, strict: 0.25, hard: 0.1, source: figure2 },
  },
  {
    attackName: "glm-4-plus",
    paperLabel: "GLM4-Plus",
    identity: "zhipu",
    strictFile: "GPT_glm-4-plus_0.30.csv",
    published: { loose: 0.42, strict: 0.3, hard: 0.16, source: figure2 },
  },
  {
    attackName: "qwen2.5-7b-instruct",
    paperLabel: "Qwen2.5-7B-Instruct",
    identity: "alibaba",
    strictFile: "GPT_qwen2.5-7b-instruct_0.001.csv",
    published: { strict: 0.001, source: baseInstructTable },
  },
  {
    attackName: "qwen2.5-14b",
    paperLabel: "Qwen2.5-14B (base)",
    identity: "alibaba",
    strictFile: "qwen2.5-14b_0.171.csv",
    published: { strict: 0.171, source: baseInstructTable },
  },
  {
    attackName: "qwen2.5-14b-instruct",
    paperLabel: "Qwen2.5-14B-Instruct",
    identity: "alibaba",
    published: { strict: 0.0, source: baseInstructTable },
  },
  {
    attackName: "qwen2.5-72b",
    paperLabel: "Qwen2.5-72B (base)",
    identity: "alibaba",
    strictFile: "GPT_qwen2.5-72b_0.211.csv",
    published: { strict: 0.211, source: baseInstructTable },
  },
  {
    attackName: "qwen2.5-72b-instruct",
    paperLabel: "Qwen2.5-72B-Instruct",
    identity: "alibaba",
    strictFile: "GPT_qwen2.5-72b-instruct_0.00.csv",
    published: { strict: 0.0, source: baseInstructTable },
  },
];

/** The target model name of an attack_result file name (`gpt_GPT_glm-4-plus.jsonl` -> `glm-4-plus`). */
export function attackNameOf(fileName: string): string | undefined {
  return /^gpt_gpt_(.+)\.jsonl$/i.exec(fileName)?.[1];
}

/** The paper's entry for an attack_result file, matched by model name (case-insensitive). */
export function paperTargetFor(fileName: string): PaperTarget | undefined {
  const name = attackNameOf(fileName)?.toLowerCase();
  if (name === undefined) return undefined;
  return paperTargets.find((target) => target.attackName.toLowerCase() === name);
}
