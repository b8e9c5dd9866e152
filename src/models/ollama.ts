/** Adapter for Ollama's native /api/chat (non-streaming), on undici through src/models/http.ts. */

import { endpointIdentity } from "./endpoint-identity.ts";
import { endpointUrl } from "./endpoint-url.ts";
import { type FailureContext, unparseable } from "./failures.ts";
import { postJson } from "./http.ts";
import { directRoute, type Route, routeContext } from "./route.ts";
import { success } from "./shared.ts";
import type { GenerateRequest, GenerateResult, Model } from "./types.ts";

export interface OllamaModelOptions {
  /** Direct or through a proxy (routeFor); default direct. */
  route?: Route;
  /** How the user sets the base URL, named in errors (default "--base-url or OLLAMA_BASE_URL"). */
  baseUrlHint?: string;
  /** The flag that names this model in errors (default "--target"; e.g. "--judge"). */
  modelFlag?: string;
  id: string;
  model: string;
  baseUrl: string;
}

function requestBody(model: string, request: GenerateRequest): Record<string, unknown> {
  const generation: Record<string, unknown> = {};
  if (request.temperature !== undefined) generation.temperature = request.temperature;
  if (request.topP !== undefined) generation.top_p = request.topP;
  if (request.maxTokens !== undefined) generation.num_predict = request.maxTokens;
  if (request.seed !== undefined) generation.seed = request.seed;
  if (request.stop !== undefined) generation.stop = request.stop;
  return { model, messages: request.messages, stream: false, options: generation };
}

/** Creates a Model for a local Ollama server. */
export function createOllamaModel(options: OllamaModelOptions): Model {
  const parsedUrl = endpointUrl(options.baseUrl, "/api/chat", { replaces: ["v1"] });
  const context: FailureContext = {
    modelId: options.id,
    baseUrlHint: options.baseUrlHint ?? "--base-url or OLLAMA_BASE_URL",
    ...(options.modelFlag === undefined ? {} : { modelFlag: options.modelFlag }),
    ...routeContext(options.route),
    secrets: [...(options.route?.proxySecrets ?? [])],
    endpoint: new URL(options.baseUrl).host,
  };
  const dispatcher = (options.route ?? directRoute).dispatcher;
  const generate = async (request: GenerateRequest, signal: AbortSignal): Promise<GenerateResult> => {
    const answer = await postJson(
      parsedUrl,
      {},
      requestBody(options.model, request),
      signal,
      context,
      dispatcher,
    );
    if (!answer.ok) return answer;
    const json = answer.json;
    if (typeof json?.message?.content !== "string") return unparseable(context, "no message content");
    const usage = {
      inputTokens: Number(json.prompt_eval_count ?? 0),
      outputTokens: Number(json.eval_count ?? 0),
    };
    const reason =
      json.done_reason === "stop"
        ? "stop"
        : json.done_reason === "length"
          ? "length"
          : json.done_reason
            ? "other"
            : undefined;
    return success("ollama", options.model, json.message.content, usage, reason, json.model);
  };
  return {
    id: options.id,
    provider: "ollama",
    model: options.model,
    endpoint: endpointIdentity(options.baseUrl, "/api/chat", { replaces: ["v1"] }),
    generate,
  };
}
