// biome-ignore-all lint/suspicious/noExplicitAny: provider wire JSON is untyped; every field read is checked at use
/** Adapter for the Gemini API generateContent, on undici through src/models/http.ts (see docs/design/model-adapters.md). */

import { endpointIdentity } from "./endpoint-identity.ts";
import { endpointUrl } from "./endpoint-url.ts";
import { type FailureContext, unparseable } from "./failures.ts";
import { postJson } from "./http.ts";
import { directRoute, type Route, routeContext } from "./route.ts";
import { success } from "./shared.ts";
import type { GenerateRequest, GenerateResult, Model, Usage } from "./types.ts";

export interface GoogleModelOptions {
  /** Direct or through a proxy (routeFor); default direct. */
  route?: Route;
  /** How the user sets the base URL, named in errors (default "--base-url or GOOGLE_BASE_URL"). */
  baseUrlHint?: string;
  /** The flag that names this model in errors (default "--target"; e.g. "--judge"). */
  modelFlag?: string;
  id: string;
  model: string;
  baseUrl: string;
  apiKey: string;
  keyVariable: string;
}

function requestBody(request: GenerateRequest): Record<string, unknown> {
  const system = request.messages
    .filter((message) => message.role === "system")
    .map((message) => message.content);
  const body: Record<string, unknown> = {
    contents: request.messages
      .filter((message) => message.role !== "system")
      .map((message) => ({
        role: message.role === "assistant" ? "model" : "user",
        parts: [{ text: message.content }],
      })),
  };
  if (system.length > 0) body.systemInstruction = { parts: [{ text: system.join("\n\n") }] };
  const config: Record<string, unknown> = {};
  if (request.temperature !== undefined) config.temperature = request.temperature;
  if (request.topP !== undefined) config.topP = request.topP;
  if (request.maxTokens !== undefined) config.maxOutputTokens = request.maxTokens;
  if (request.seed !== undefined) config.seed = request.seed;
  if (request.stop !== undefined) config.stopSequences = request.stop;
  if (Object.keys(config).length > 0) body.generationConfig = config;
  return body;
}

const blocked = new Set(["SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY"]);

/** Creates a Model for the Gemini API. */
export function createGoogleModel(options: GoogleModelOptions): Model {
  const route = `/v1beta/models/${encodeURIComponent(options.model)}:generateContent`;
  const parsedUrl = endpointUrl(options.baseUrl, route, { replaces: ["v1"] });
  const headers = { "x-goog-api-key": options.apiKey };
  const context: FailureContext = {
    modelId: options.id,
    keyVariable: options.keyVariable,
    baseUrlHint: options.baseUrlHint ?? "--base-url or GOOGLE_BASE_URL",
    ...(options.modelFlag === undefined ? {} : { modelFlag: options.modelFlag }),
    endpoint: new URL(options.baseUrl).host,
    ...routeContext(options.route),
    secrets: [options.apiKey, ...(options.route?.proxySecrets ?? [])],
  };
  const dispatcher = (options.route ?? directRoute).dispatcher;
  const generate = async (request: GenerateRequest, signal: AbortSignal): Promise<GenerateResult> => {
    const answer = await postJson(parsedUrl, headers, requestBody(request), signal, context, dispatcher);
    if (!answer.ok) return answer;
    const json = answer.json;
    if (json?.promptFeedback?.blockReason)
      return {
        ok: false,
        errorClass: "refused",
        message: `${options.id}: prompt blocked (${String(json.promptFeedback.blockReason)})`,
      };
    const candidate = json?.candidates?.[0];
    if (!candidate) return unparseable(context, "no candidates");
    if (blocked.has(candidate.finishReason))
      return {
        ok: false,
        errorClass: "refused",
        message: `${options.id}: answer blocked (${String(candidate.finishReason)})`,
      };
    const parts: any[] = candidate.content?.parts ?? [];
    const text = parts
      .filter((part) => typeof part?.text === "string" && !part.thought)
      .map((part) => part.text)
      .join("");
    const meta = json.usageMetadata ?? {};
    const usage: Usage = {
      inputTokens: Number(meta.promptTokenCount ?? 0),
      outputTokens: Number(meta.candidatesTokenCount ?? 0) + Number(meta.thoughtsTokenCount ?? 0),
    };
    if (typeof meta.cachedContentTokenCount === "number")
      usage.cachedInputTokens = meta.cachedContentTokenCount;
    if (typeof meta.thoughtsTokenCount === "number") usage.reasoningTokens = meta.thoughtsTokenCount;
    const finishReason =
      candidate.finishReason === "STOP"
        ? "stop"
        : candidate.finishReason === "MAX_TOKENS"
          ? "length"
          : candidate.finishReason
            ? "other"
            : undefined;
    return success("google", options.model, text, usage, finishReason, json.modelVersion);
  };
  return {
    id: options.id,
    provider: "google",
    model: options.model,
    endpoint: endpointIdentity(options.baseUrl, route, { replaces: ["v1"], secrets: [options.apiKey] }),
    generate,
  };
}
