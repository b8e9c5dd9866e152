// biome-ignore-all lint/suspicious/noExplicitAny: provider wire JSON is untyped; every field read is checked at use
/**
 * Adapter for any OpenAI-compatible chat-completions endpoint (OpenAI, Azure OpenAI, vLLM, DeepSeek, Qwen...),
 * on undici (see docs/design/model-adapters.md for why not the SDK). JSON and SSE streaming.
 */

import { endpointIdentity } from "./endpoint-identity.ts";
import { endpointUrl, namesApiVersion } from "./endpoint-url.ts";
import { type FailureContext, failureFromError, unparseable } from "./failures.ts";
import { postJson, postStream } from "./http.ts";
import { directRoute, type Route, routeContext } from "./route.ts";
import { success } from "./shared.ts";
import type { GenerateFailure, GenerateRequest, GenerateResult, Model, Usage } from "./types.ts";

/**
 * A bearer token for one request, or the failure that stops it (Microsoft Entra ID for Azure: see
 * azure-entra-id.ts). Called before every request; the source caches the token and renews it near expiry.
 */
export type BearerTokenSource = () => Promise<{ ok: true; token: string } | GenerateFailure>;

export interface OpenAIModelOptions {
  /** Direct or through a proxy (routeFor); default direct. */
  route?: Route;
  id: string;
  provider: string;
  model: string;
  baseUrl: string;
  /**
   * Base URL paths, besides "/v1" and none, that are this provider's usual API root (a preset's
   * "/compatible-mode/v1", Azure's "/openai/v1"): with one of them `endpoint` is the host alone.
   */
  defaultPaths?: readonly string[];
  apiKey?: string;
  /**
   * The header that carries the key: "authorization" sends `Authorization: Bearer <key>` (the default),
   * "api-key" sends `api-key: <key>` (Azure OpenAI).
   */
  keyHeader?: "authorization" | "api-key";
  /**
   * Instead of `apiKey`: a token fetched before each request and sent as `Authorization: Bearer <token>`.
   * Every token it gives is hidden from failure messages like the key.
   */
  bearerToken?: BearerTokenSource;
  keyVariable?: string;
  baseUrlHint: string;
  /** The flag that names this model in errors (default "--target"; e.g. "--judge"). */
  modelFlag?: string;
}

function normaliseFinish(reason: unknown): string | undefined {
  if (typeof reason !== "string") return undefined;
  return ["stop", "length", "content_filter", "tool_calls"].includes(reason) ? reason : "other";
}

function usageFrom(raw: any): Usage {
  const usage: Usage = {
    inputTokens: Number(raw?.prompt_tokens ?? 0),
    outputTokens: Number(raw?.completion_tokens ?? 0),
  };
  const cached = raw?.prompt_tokens_details?.cached_tokens;
  if (typeof cached === "number") usage.cachedInputTokens = cached;
  const reasoning = raw?.completion_tokens_details?.reasoning_tokens;
  if (typeof reasoning === "number") usage.reasoningTokens = reasoning;
  return usage;
}

function requestBody(model: string, request: GenerateRequest): Record<string, unknown> {
  const body: Record<string, unknown> = { model, messages: request.messages };
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.maxTokens !== undefined) body.max_tokens = request.maxTokens;
  if (request.seed !== undefined) body.seed = request.seed;
  if (request.stop !== undefined) body.stop = request.stop;
  if (request.stream) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  return body;
}

/** The promise's value, or undefined as soon as `signal` aborts: a slow token fetch cannot hold a request. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => resolve(undefined);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/** Creates a Model for an OpenAI-compatible endpoint. */
export function createOpenAIModel(options: OpenAIModelOptions): Model {
  const parsedUrl = endpointUrl(options.baseUrl, "/chat/completions");
  const headers: Record<string, string> = {};
  if (options.apiKey) {
    if (options.keyHeader === "api-key") headers["api-key"] = options.apiKey;
    else headers.authorization = `Bearer ${options.apiKey}`;
  }
  // Grows with every bearer token obtained, so that no failure message can show one.
  const secrets: Array<string | undefined> = [options.apiKey, ...(options.route?.proxySecrets ?? [])];
  const context: FailureContext = {
    modelId: options.id,
    baseUrlHint: options.baseUrlHint,
    ...(options.modelFlag === undefined ? {} : { modelFlag: options.modelFlag }),
    endpoint: new URL(options.baseUrl).host,
    ...routeContext(options.route),
    secrets,
    ...(options.keyVariable ? { keyVariable: options.keyVariable } : {}),
    ...(namesApiVersion(options.baseUrl)
      ? {}
      : { notFoundHint: "OpenAI-compatible base URLs usually end in /v1, e.g. http://127.0.0.1:8000/v1" }),
  };
  const dispatcher = (options.route ?? directRoute).dispatcher;
  const finish = (
    text: string,
    usage: Usage,
    finishReason: string | undefined,
    responseModel: unknown,
  ): GenerateResult => {
    if (finishReason === "content_filter")
      return {
        ok: false,
        errorClass: "refused",
        message: `${options.id}: answer stopped by the content filter`,
      };
    return success(options.provider, options.model, text, usage, finishReason, responseModel);
  };

  const generateJson = async (
    request: GenerateRequest,
    signal: AbortSignal,
    requestHeaders: Record<string, string>,
  ): Promise<GenerateResult> => {
    const answer = await postJson(
      parsedUrl,
      requestHeaders,
      requestBody(options.model, request),
      signal,
      context,
      dispatcher,
    );
    if (!answer.ok) return answer;
    const choice = answer.json?.choices?.[0];
    if (!choice) return unparseable(context, "no choices");
    const finishReason = normaliseFinish(choice.finish_reason);
    const content = choice.message?.content;
    if (typeof choice.message?.refusal === "string" && choice.message.refusal)
      return { ok: false, errorClass: "refused", message: `${options.id}: the model refused` };
    if (typeof content !== "string" && finishReason !== "content_filter")
      return unparseable(context, "no message content");
    return finish(content ?? "", usageFrom(answer.json.usage), finishReason, answer.json.model);
  };

  const generateStream = async (
    request: GenerateRequest,
    signal: AbortSignal,
    requestHeaders: Record<string, string>,
  ): Promise<GenerateResult> => {
    const response = await postStream(
      parsedUrl,
      requestHeaders,
      requestBody(options.model, request),
      signal,
      context,
      dispatcher,
    );
    if (!response.ok) return response;
    let text = "";
    let usage: Usage = { inputTokens: 0, outputTokens: 0 };
    let finishReason: string | undefined;
    let responseModel: unknown;
    let done = false;
    let buffer = "";
    const handleLine = (line: string): GenerateResult | undefined => {
      if (!line.startsWith("data:")) return undefined;
      const data = line.slice(5).trim();
      if (data === "[DONE]") {
        done = true;
        return undefined;
      }
      let chunk: any;
      try {
        chunk = JSON.parse(data);
      } catch {
        return unparseable(context, "bad stream chunk");
      }
      if (chunk.error) return unparseable(context, "error inside the stream");
      responseModel ??= chunk.model;
      const choice = chunk.choices?.[0];
      if (typeof choice?.delta?.content === "string") text += choice.delta.content;
      if (choice?.finish_reason) finishReason = normaliseFinish(choice.finish_reason);
      if (chunk.usage) usage = usageFrom(chunk.usage);
      return undefined;
    };
    try {
      const decoder = new TextDecoder();
      for await (const bytes of response.body) {
        buffer += decoder.decode(bytes, { stream: true });
        let newline = buffer.indexOf("\n");
        while (newline !== -1) {
          const failure = handleLine(buffer.slice(0, newline).trimEnd());
          if (failure) return failure;
          buffer = buffer.slice(newline + 1);
          newline = buffer.indexOf("\n");
        }
      }
      const failure = handleLine(buffer.trim());
      if (failure) return failure;
    } catch (error) {
      return failureFromError(error, context, signal);
    }
    if (!done && finishReason === undefined) return unparseable(context, "stream ended early");
    return finish(text, usage, finishReason, responseModel);
  };

  const send = (request: GenerateRequest, signal: AbortSignal, requestHeaders: Record<string, string>) =>
    request.stream
      ? generateStream(request, signal, requestHeaders)
      : generateJson(request, signal, requestHeaders);

  // The headers of the current token, made once per token (http.ts merges them once per headers object).
  let tokenHeaders: { token: string; headers: Record<string, string> } | undefined;
  /** Gets the token first: a new one joins the secrets and gets its headers; a failure stops the request. */
  const sendWithToken = async (
    source: BearerTokenSource,
    request: GenerateRequest,
    signal: AbortSignal,
  ): Promise<GenerateResult> => {
    const answer = await untilAborted(source(), signal);
    if (answer === undefined) return failureFromError(signal.reason, context, signal);
    if (!answer.ok) return answer;
    if (tokenHeaders?.token !== answer.token) {
      if (!secrets.includes(answer.token)) secrets.push(answer.token);
      tokenHeaders = { token: answer.token, headers: { authorization: `Bearer ${answer.token}` } };
    }
    return send(request, signal, tokenHeaders.headers);
  };

  const tokenSource = options.bearerToken;
  return {
    id: options.id,
    provider: options.provider,
    model: options.model,
    endpoint: endpointIdentity(options.baseUrl, "/chat/completions", {
      defaultPaths: ["/v1", ...(options.defaultPaths ?? [])],
      secrets: [options.apiKey],
    }),
    // With a key the headers are fixed: the request waits for nothing before it is sent.
    generate:
      tokenSource === undefined
        ? (request, signal) => send(request, signal, headers)
        : (request, signal) => sendWithToken(tokenSource, request, signal),
  };
}
