/**
 * USD per million tokens for well-known models, from the providers' public price pages.
 * Prices change: each entry records the page and the date it was read. Unknown models get no cost.
 */
import type { Usage } from "./types.ts";

export interface Price {
  input: number;
  cachedInput?: number;
  output: number;
  /** Where the price was read, and when (YYYY-MM). */
  source: string;
}

const openai = "openai.com/api/pricing 2025-08";
const anthropic = "anthropic.com/pricing 2025-08";
const google = "ai.google.dev/gemini-api/docs/pricing 2025-08 (prompts <= 200k tokens)";
const deepseek = "api-docs.deepseek.com/quick_start/pricing 2025-08 (standard hours)";
const mistral = "mistral.ai/pricing 2025-08";
const qwen = "alibabacloud.com/help/en/model-studio/models 2025-08 (international)";

/** Keyed by provider family, then model name (exact or prefix before a date suffix). */
export const priceTable: Record<string, Record<string, Price>> = {
  openai: {
    "gpt-4o": { input: 2.5, cachedInput: 1.25, output: 10, source: openai },
    "gpt-4o-mini": { input: 0.15, cachedInput: 0.075, output: 0.6, source: openai },
    "gpt-4.1": { input: 2, cachedInput: 0.5, output: 8, source: openai },
    "gpt-4.1-mini": { input: 0.4, cachedInput: 0.1, output: 1.6, source: openai },
    "gpt-4.1-nano": { input: 0.1, cachedInput: 0.025, output: 0.4, source: openai },
    o3: { input: 2, cachedInput: 0.5, output: 8, source: openai },
    "o3-mini": { input: 1.1, cachedInput: 0.55, output: 4.4, source: openai },
    "o4-mini": { input: 1.1, cachedInput: 0.275, output: 4.4, source: openai },
    "gpt-5": { input: 1.25, cachedInput: 0.125, output: 10, source: openai },
    "gpt-5-mini": { input: 0.25, cachedInput: 0.025, output: 2, source: openai },
    "gpt-5-nano": { input: 0.05, cachedInput: 0.005, output: 0.4, source: openai },
  },
  anthropic: {
    "claude-3-5-sonnet": { input: 3, cachedInput: 0.3, output: 15, source: anthropic },
    "claude-3-7-sonnet": { input: 3, cachedInput: 0.3, output: 15, source: anthropic },
    "claude-sonnet-4": { input: 3, cachedInput: 0.3, output: 15, source: anthropic },
    "claude-3-5-haiku": { input: 0.8, cachedInput: 0.08, output: 4, source: anthropic },
    "claude-3-haiku": { input: 0.25, cachedInput: 0.03, output: 1.25, source: anthropic },
    "claude-3-opus": { input: 15, cachedInput: 1.5, output: 75, source: anthropic },
    "claude-opus-4": { input: 15, cachedInput: 1.5, output: 75, source: anthropic },
    "claude-opus-4-1": { input: 15, cachedInput: 1.5, output: 75, source: anthropic },
  },
  google: {
    "gemini-2.0-flash": { input: 0.1, cachedInput: 0.025, output: 0.4, source: google },
    "gemini-2.0-flash-lite": { input: 0.075, output: 0.3, source: google },
    "gemini-2.5-flash": { input: 0.3, cachedInput: 0.075, output: 2.5, source: google },
    "gemini-2.5-flash-lite": { input: 0.1, cachedInput: 0.025, output: 0.4, source: google },
    "gemini-2.5-pro": { input: 1.25, cachedInput: 0.31, output: 10, source: google },
  },
  deepseek: {
    "deepseek-chat": { input: 0.27, cachedInput: 0.07, output: 1.1, source: deepseek },
    "deepseek-reasoner": { input: 0.55, cachedInput: 0.14, output: 2.19, source: deepseek },
  },
  mistral: {
    "mistral-large-latest": { input: 2, output: 6, source: mistral },
    "mistral-small-latest": { input: 0.1, output: 0.3, source: mistral },
  },
  qwen: {
    "qwen-max": { input: 1.6, output: 6.4, source: qwen },
    "qwen-plus": { input: 0.4, output: 1.2, source: qwen },
  },
};

/** Which price family a provider's models belong to (presets re-selling others' models have none). */
const familyOf: Record<string, string> = {
  openai: "openai",
  anthropic: "anthropic",
  google: "google",
  deepseek: "deepseek",
  mistral: "mistral",
  qwen: "qwen",
};

/** The price entry for a model: exact name, else the longest known name it starts with (date suffixes). */
export function priceFor(provider: string, model: string): Price | undefined {
  const family = familyOf[provider];
  const table = family ? priceTable[family] : undefined;
  if (!table) return undefined;
  const exact = table[model];
  if (exact) return exact;
  let best: string | undefined;
  for (const name of Object.keys(table))
    if (model.startsWith(`${name}-`) && (best === undefined || name.length > best.length)) best = name;
  return best ? table[best] : undefined;
}

/** Cost in USD of one answer, or undefined when the model is not in the table. */
export function costFor(provider: string, model: string, usage: Usage): number | undefined {
  const price = priceFor(provider, model);
  if (!price) return undefined;
  const cached = Math.min(usage.cachedInputTokens ?? 0, usage.inputTokens);
  const uncached = usage.inputTokens - cached;
  const cachedRate = price.cachedInput ?? price.input;
  return (uncached * price.input + cached * cachedRate + usage.outputTokens * price.output) / 1_000_000;
}
