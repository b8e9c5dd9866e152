/**
 * Which sampling parameter a provider's 400 says the model does not take. Only texts that providers were
 * seen to send are recognised (each with where it was reported):
 * - OpenAI reasoning models (o1, o3, o4-mini, gpt-5...): `"Unsupported value: 'temperature' does not support
 *   0 with this model. Only the default (1) value is supported."`, param "temperature", code
 *   "unsupported_value" (QwenLM/qwen-code#921), and `"Unsupported parameter: 'temperature' is not supported
 *   with this model."`, code "unsupported_parameter" (appatalks/eva-agent#83); the same for 'top_p'.
 * - Anthropic (claude-opus-4-7 and later): "`temperature` is deprecated for this model."
 *   (TestPlanIt/testplanit#220), and for Claude 4.5 models given both: "`temperature` and `top_p` cannot
 *   both be specified for this model. Please use only one." (BerriAI/litellm#15097): top_p is dropped.
 * - Moonshot (kimi-k2): "invalid temperature: only 1 is allowed for this model" (anomalyco/opencode#27796).
 * The body is searched whole, so a proxy (LiteLLM, OpenRouter) that wraps the provider's body still matches.
 */
import type { DroppableParameter } from "./types.ts";

const wireNames: Record<string, DroppableParameter> = { temperature: "temperature", top_p: "topP" };

const patterns: ReadonlyArray<{ pattern: RegExp; parameter?: DroppableParameter }> = [
  { pattern: /Unsupported (?:value|parameter): '(temperature|top_p)'/i },
  { pattern: /`?(temperature|top_p)`? is deprecated for this model/i },
  { pattern: /`?temperature`? and `?top_p`? cannot both be specified/i, parameter: "topP" },
  { pattern: /invalid (temperature): only 1 is allowed/i },
];

/** The parameter the model refuses, or undefined when the body says something else. */
export function unsupportedParameterIn(body: string): DroppableParameter | undefined {
  for (const { pattern, parameter } of patterns) {
    const match = pattern.exec(body);
    if (match === null) continue;
    return parameter ?? wireNames[(match[1] ?? "").toLowerCase()];
  }
  return undefined;
}

/** The parameter's name on the wire, as users know it from the provider's documentation. */
export function wireName(parameter: DroppableParameter): string {
  return parameter === "topP" ? "top_p" : "temperature";
}
