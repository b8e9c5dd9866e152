/**
 * Provider prefixes a config may name. The model registry (src/models/registry.ts) is the authority
 * when it answers; this list covers the providers and presets of the architecture note so that the
 * config can be checked without loading any SDK.
 */
export const configProviders: readonly string[] = [
  "openai",
  "anthropic",
  "google",
  "ollama",
  "replay",
  "deepseek",
  "qwen",
  "dashscope",
  "openrouter",
  "together",
  "groq",
  "mistral",
  "xai",
  "moonshot",
  "zhipu",
  "fireworks",
  "vllm",
  "lmstudio",
];

/** The provider prefixes a config may use. */
export function knownProviders(): readonly string[] {
  return configProviders;
}
