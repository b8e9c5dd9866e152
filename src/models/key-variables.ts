/**
 * Which environment variables a provider reads its API key from, and an environment in which a key held
 * in another variable (a config's `api-key-env`, the CLI's `--api-key-env`) is the provider's key. The
 * key stays in memory: it is only passed on to the model registry.
 */
import { presets } from "./presets.ts";

/** The environment variable each provider reads its key from by default (architecture note). */
const defaultKeyVariables: Record<string, string[]> = {
  openai: ["OPENAI_API_KEY"],
  anthropic: ["ANTHROPIC_API_KEY"],
  google: ["GEMINI_API_KEY", "GOOGLE_API_KEY"],
  azure: ["AZURE_OPENAI_API_KEY"],
};

/** The variables the provider of `id` (`provider:model`) reads its key from. */
export function keyVariablesOf(id: string): string[] {
  const provider = id.slice(0, Math.max(0, id.indexOf(":")));
  const presetVariable = presets[provider]?.keyVariable;
  return (
    defaultKeyVariables[provider] ??
    (presetVariable !== undefined ? [presetVariable] : [`${provider.toUpperCase()}_API_KEY`])
  );
}

/** `environment` with `key` in every variable the provider of `id` reads its key from. */
export function environmentWithKey(
  id: string,
  key: string,
  environment: NodeJS.ProcessEnv,
): NodeJS.ProcessEnv {
  return { ...environment, ...Object.fromEntries(keyVariablesOf(id).map((name) => [name, key])) };
}
