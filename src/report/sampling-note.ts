/**
 * The sentence both reports show for a model that refused a sampling parameter (e.g. temperature for
 * OpenAI's reasoning models): its requests were sent without it (models/parameter-fallback.ts), so it
 * answered at its provider's default and its numbers are not those of a greedy, repeatable run.
 */
import type { DroppableParameter } from "../models/types.ts";

/** What one model refused, and the values the run had asked for (when the result says). */
export interface SamplingFallback {
  parameters: DroppableParameter[];
  asked: Partial<Record<DroppableParameter, number>>;
}

const parameterNames: Record<DroppableParameter, string> = { temperature: "temperature", topP: "top-p" };

function joined(parts: string[]): string {
  return parts.length < 2 ? (parts[0] ?? "") : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}

/** A model of an RSE result and its part in it (report-model.ts). */
export interface NamedSamplingFallback {
  model: string;
  role?: "target" | "reference";
}

/**
 * Who an RSE note is about: "<model> (target)" or "<model> (reference for <target>)"; `escapeName` is the
 * report's escaper for names (they come from the result).
 */
export function samplingSubject(
  fallback: NamedSamplingFallback,
  targetLabel: string,
  escapeName: (text: string) => string,
): string {
  const role =
    fallback.role === "target"
      ? " (target)"
      : fallback.role === "reference"
        ? ` (reference for ${escapeName(targetLabel)})`
        : "";
  return `${escapeName(fallback.model)}${role}`;
}

/**
 * E.g. "sampled without temperature (the model refused temperature 0): its answers are not deterministic,
 * as it answered at its provider's default temperature". Plain text with no input in it: each report
 * puts the model's name, escaped its own way, before it ("<name> was sampled without ...").
 */
export function samplingFallbackSentence(fallback: SamplingFallback): string {
  const names = fallback.parameters.map((parameter) => parameterNames[parameter]);
  const refused = fallback.parameters.map((parameter) => {
    const value = fallback.asked[parameter];
    return value === undefined ? parameterNames[parameter] : `${parameterNames[parameter]} ${value}`;
  });
  const consequence = fallback.parameters.includes("temperature")
    ? "its answers are not deterministic, as it answered"
    : "it answered";
  return `sampled without ${joined(names)} (the model refused ${joined(refused)}): ${consequence} at its provider's default ${joined(names)}`;
}
