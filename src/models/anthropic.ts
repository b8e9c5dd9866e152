// biome-ignore-all lint/suspicious/noExplicitAny: provider wire JSON is untyped; every field read is checked at use
/** Adapter for the Anthropic Messages API, on undici through src/models/http.ts (see docs/design/model-adapters.md). */

import { endpointIdentity } from "./endpoint-identity.ts";
import { endpointUrl } from "./endpoint-url.ts";
import { type FailureContext, unparseable } from "./failures.ts";
import { postJson } from "./http.ts";
import { directRoute, type Route, routeContext } from "./route.ts";
import { success } from "./shared.ts";
import type { GenerateRequest, GenerateResult, Model, Usage } from "./types.ts";

export interface AnthropicModelOptions {
  /** Direct or through a proxy (routeFor); default direct. */
  route?: Route;
  /** How the user sets the base URL, named in errors (default "--base-url or ANTHROPIC_BASE_URL"). */
  baseUrlHint?: string;
  /** The flag that names this model in errors (default "--target"; e.g. "--judge"). */
  modelFlag?: string;
  id: string;
  model: string;
  baseUrl: string;
  apiKey: string;
}

const defaultMaxTokens = 1024;

function requestBody(model: string, request: GenerateRequest): Record<string, unknown> {
  const system = request.messages
    .filter((message) => message.role === "system")
    .map((message) => message.content);
  const body: Record<string, unknown> = {
    model,
    max_tokens: request.maxTokens ?? defaultMaxTokens,
    messages: request.messages
      .filter((message) => message.role !== "system")
      .map((message) => ({ role: message.role, content: message.content })),
  };
  if (system.length > 0) body.system = system.join("\n\n");
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.stop !== undefined) body.stop_sequences = request.stop;
  return body;
}

const finishReasons: Record<string, string> = {
  end_turn: "stop",
  stop_sequence: "stop",
  max_tokens: "length",
  tool_use: "tool_calls",
  refusal: "content_filter",
};

/** Creates a Model for Anthropic's Messages API. */
export function createAnthropicModel(options: AnthropicModelOptions): Model {
  const parsedUrl = endpointUrl(options.baseUrl, "/v1/messages");
  const headers = { "x-api-key": options.apiKey, "anthropic-version": "2023-06-01" };
  const context: FailureContext = {
    modelId: options.id,
    keyVariable: "ANTHROPIC_API_KEY",
    baseUrlHint: options.baseUrlHint ?? "--base-url or ANTHROPIC_BASE_URL",
    ...(options.modelFlag === undefined ? {} : { modelFlag: options.modelFlag }),
    endpoint: new URL(options.baseUrl).host,
    ...routeContext(options.route),
    secrets: [options.apiKey, ...(options.route?.proxySecrets ?? [])],
  };
  const dispatcher = (options.route ?? directRoute).dispatcher;
  const generate = async (request: GenerateRequest, signal: AbortSignal): Promise<GenerateResult> => {
    const answer = await postJson(
      parsedUrl,
      headers,
      requestBody(options.model, request),
      signal,
      context,
      dispatcher,
    );
    if (!answer.ok) return answer;
    const json = answer.json;
    if (!Array.isArray(json?.content)) return unparseable(context, "no content blocks");
    if (json.stop_reason === "refusal")
      return {
        ok: false,
        errorClass: "refused",
        message: `${options.id}: the model refused (stop_reason refusal)`,
      };
    const text = json.content
      .filter((block: any) => block?.type === "text")
      .map((block: any) => String(block.text))
      .join("");
    const raw = json.usage ?? {};
    const cached = Number(raw.cache_read_input_tokens ?? 0);
    const usage: Usage = {
      // Anthropic reports cache reads apart from input_tokens; ours counts all input.
      inputTokens: Number(raw.input_tokens ?? 0) + cached + Number(raw.cache_creation_input_tokens ?? 0),
      outputTokens: Number(raw.output_tokens ?? 0),
      cachedInputTokens: cached,
    };
    const finishReason =
      typeof json.stop_reason === "string" ? (finishReasons[json.stop_reason] ?? "other") : undefined;
    return success("anthropic", options.model, text, usage, finishReason, json.model);
  };
  return {
    id: options.id,
    provider: "anthropic",
    model: options.model,
    endpoint: endpointIdentity(options.baseUrl, "/v1/messages", { secrets: [options.apiKey] }),
    generate,
  };
}
