// biome-ignore-all lint/suspicious/noExplicitAny: provider wire JSON is untyped; every field read is checked at use
/**
 * A loopback HTTP server speaking the OpenAI, Anthropic, Gemini and Ollama chat wire formats, with seeded
 * fault switches (latency, 5xx, 429, hangs, truncated/malformed/oversized bodies, resets), a sliding-window
 * requests-per-minute limit, an API key check and per-prompt answer counters. Used by every test that talks
 * to a "model"; kept lean because the engine benchmark compares it against a bare keep-alive client.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { ChatMessage } from "../models/types.ts";

export type Wire = "openai" | "anthropic" | "google" | "ollama";

export interface RespondInput {
  wire: Wire;
  model: string;
  messages: ChatMessage[];
  temperature?: number;
}

export interface MockFaults {
  /** Share of requests answered 500. */
  serverErrorRate?: number;
  /** Share of requests answered 429. */
  rateLimitRate?: number;
  /** Wait announced with injected 429s; absent = no header at all. */
  rateLimitRetryAfterMs?: number;
  /** Which headers carry the wait: "seconds" (Retry-After), "ms" (retry-after-ms) or "both" (default). */
  rateLimitHeader?: "seconds" | "ms" | "both";
  /**
   * Mixes header styles: each injected 429 picks one of these at random (seeded); "none" sends no wait
   * header at all. Overrides `rateLimitHeader`; needs `rateLimitRetryAfterMs` for the styles with a wait.
   */
  rateLimitHeaderMix?: ReadonlyArray<"seconds" | "ms" | "both" | "none">;
  /** Share of requests never answered (until the client gives up or the server closes). */
  hangRate?: number;
  /** Share of requests answered 200 with a JSON body cut mid-way. */
  truncatedRate?: number;
  /** Share of requests whose socket is destroyed without an answer. */
  resetRate?: number;
  /** Share of requests answered with a valid but huge body (the true answer plus padding). */
  oversizedRate?: number;
  /** Padding size of oversized bodies in bytes (default 4 MiB). */
  oversizedBytes?: number;
  /** Share of requests answered 200 with a non-JSON (HTML) body. */
  malformedRate?: number;
  /** Share of requests answered as stopped by the provider's content filter. */
  contentFilterRate?: number;
}

export interface MockServerOptions {
  respond?: (input: RespondInput) => string;
  latencyMs?: number;
  seed?: number;
  faults?: MockFaults;
  requestsPerMinute?: number;
  apiKey?: string;
  knownModels?: string[];
  /**
   * Models that refuse a `temperature` in the request, as reasoning models do: 400 with the provider's
   * own error body (OpenAI wire: OpenAI's "Unsupported value: 'temperature' does not support 0 with this
   * model..." with param "temperature" and code "unsupported_value"; Anthropic wire: "`temperature` is
   * deprecated for this model."). A request without a temperature is answered as usual.
   */
  rejectTemperatureModels?: string[];
  /** Clock for the requests-per-minute window (tests may simulate time). */
  now?: () => number;
}

export interface MockServerStats {
  requests: number;
  /**
   * Counts by HTTP status ("200", "429"...) plus "hang" and "reset" for answers never sent, and with
   * `rateLimitHeaderMix` also "429-seconds", "429-ms", "429-both" and "429-none" by header style.
   */
  byStatus: Record<string, number>;
  /** Successful (complete, correct) answers per prompt; key = promptKey(model, messages). */
  successfulByPrompt: Map<string, number>;
}

export interface MockProviderServer {
  url: string;
  openaiBaseUrl: string;
  anthropicBaseUrl: string;
  googleBaseUrl: string;
  ollamaBaseUrl: string;
  stats(): MockServerStats;
  resetStats(): void;
  setOptions(partial: Partial<MockServerOptions>): void;
  close(): Promise<void>;
}

/** The key `stats().successfulByPrompt` uses for one prompt to one model. */
export function promptKey(model: string, messages: ChatMessage[]): string {
  const canonical = JSON.stringify([model, messages.map((message) => [message.role, message.content])]);
  return createHash("sha1").update(canonical).digest("hex");
}

/** The deterministic default answer: derived from the model name and the messages. */
export function defaultAnswer(input: RespondInput): string {
  const last = input.messages.at(-1)?.content ?? "";
  const digest = promptKey(input.model, input.messages).slice(0, 8);
  return `Answer from ${input.model} to "${last.slice(0, 40)}" [${digest}]`;
}

/** Seeded 32-bit generator (mulberry32): the fault sequence depends only on the seed and request order. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

function countWords(text: string): number {
  let count = 0;
  let inWord = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const space = code === 32 || code === 10 || code === 9 || code === 13;
    if (!space && !inWord) count++;
    inWord = !space;
  }
  return count;
}

interface ParsedRequest {
  wire: Wire;
  model: string;
  messages: ChatMessage[];
  temperature?: number;
  stream: boolean;
  includeUsage: boolean;
  key: string | undefined;
}

function contentToText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content))
    return content
      .map((part) => (typeof part === "string" ? part : ((part as { text?: string })?.text ?? "")))
      .join("");
  return "";
}

function bearer(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  return header?.startsWith("Bearer ") ? header.slice(7) : undefined;
}

/** The key of an OpenAI-wire request: `Authorization: Bearer`, else Azure OpenAI's `api-key` header. */
function openaiKey(request: IncomingMessage): string | undefined {
  const apiKey = request.headers["api-key"];
  return bearer(request) ?? (typeof apiKey === "string" ? apiKey : undefined);
}

function parseRequest(
  request: IncomingMessage,
  path: string,
  query: string,
  body: any,
): ParsedRequest | undefined {
  // Azure OpenAI's v1 API serves the same wire under /openai/v1.
  if (path === "/v1/chat/completions" || path === "/openai/v1/chat/completions") {
    return {
      wire: "openai",
      model: String(body.model ?? ""),
      messages: (body.messages ?? []).map((message: any) => ({
        role: message.role,
        content: contentToText(message.content),
      })),
      temperature: body.temperature,
      stream: body.stream === true,
      includeUsage: body.stream_options?.include_usage === true,
      key: openaiKey(request),
    };
  }
  if (path === "/v1/messages") {
    const messages: ChatMessage[] = [];
    const system = contentToText(body.system);
    if (system) messages.push({ role: "system", content: system });
    for (const message of body.messages ?? [])
      messages.push({ role: message.role, content: contentToText(message.content) });
    const apiKey = request.headers["x-api-key"];
    return {
      wire: "anthropic",
      model: String(body.model ?? ""),
      messages,
      temperature: body.temperature,
      stream: false,
      includeUsage: false,
      key: typeof apiKey === "string" ? apiKey : bearer(request),
    };
  }
  const google = /^\/v1beta\/models\/(.+):generateContent$/.exec(path);
  if (google) {
    const messages: ChatMessage[] = [];
    const system = contentToText(body.systemInstruction?.parts);
    if (system) messages.push({ role: "system", content: system });
    for (const content of body.contents ?? [])
      messages.push({
        role: content.role === "model" ? "assistant" : "user",
        content: contentToText(content.parts),
      });
    const header = request.headers["x-goog-api-key"];
    const queryKey = new URLSearchParams(query).get("key") ?? undefined;
    return {
      wire: "google",
      model: decodeURIComponent(google[1] ?? ""),
      messages,
      temperature: body.generationConfig?.temperature,
      stream: false,
      includeUsage: false,
      key: typeof header === "string" ? header : queryKey,
    };
  }
  if (path === "/api/chat") {
    return {
      wire: "ollama",
      model: String(body.model ?? ""),
      messages: (body.messages ?? []).map((message: any) => ({
        role: message.role,
        content: String(message.content),
      })),
      temperature: body.options?.temperature,
      stream: body.stream === true,
      includeUsage: false,
      key: bearer(request),
    };
  }
  return undefined;
}

function errorBody(wire: Wire, status: number, message: string, code: string): unknown {
  if (wire === "anthropic") {
    const type =
      status === 401
        ? "authentication_error"
        : status === 404
          ? "not_found_error"
          : status === 429
            ? "rate_limit_error"
            : status >= 500
              ? "api_error"
              : "invalid_request_error";
    return { type: "error", error: { type, message } };
  }
  if (wire === "google") {
    const googleStatus =
      status === 401
        ? "UNAUTHENTICATED"
        : status === 404
          ? "NOT_FOUND"
          : status === 429
            ? "RESOURCE_EXHAUSTED"
            : status >= 500
              ? "INTERNAL"
              : "INVALID_ARGUMENT";
    return { error: { code: status, message, status: googleStatus } };
  }
  if (wire === "ollama") return { error: message };
  return { error: { message, type: code, code } };
}

/**
 * The 400 bodies the providers send for a temperature the model does not take, word for word as users
 * reported them: OpenAI (o-series, gpt-5 family; QwenLM/qwen-code#921, NVlabs/cvdp_benchmark#29) and
 * Anthropic (claude-opus-4-7; TestPlanIt/testplanit#220, RooCodeInc/Roo-Code#12162).
 */
function temperatureRejection(wire: "openai" | "anthropic", temperature: unknown): unknown {
  if (wire === "anthropic")
    return {
      type: "error",
      error: { type: "invalid_request_error", message: "`temperature` is deprecated for this model." },
    };
  return {
    error: {
      message: `Unsupported value: 'temperature' does not support ${String(temperature)} with this model. Only the default (1) value is supported.`,
      type: "invalid_request_error",
      param: "temperature",
      code: "unsupported_value",
    },
  };
}

interface Answer {
  text: string;
  finishReason: "stop" | "content_filter";
  inputTokens: number;
  outputTokens: number;
}

function successBody(wire: Wire, model: string, answer: Answer, padding?: string): unknown {
  const filtered = answer.finishReason === "content_filter";
  const extra = padding === undefined ? {} : { padding };
  if (wire === "anthropic") {
    return {
      id: "msg_mock",
      type: "message",
      role: "assistant",
      model,
      content: [{ type: "text", text: answer.text }],
      stop_reason: filtered ? "refusal" : "end_turn",
      usage: {
        input_tokens: answer.inputTokens,
        output_tokens: answer.outputTokens,
        cache_read_input_tokens: 0,
      },
      ...extra,
    };
  }
  if (wire === "google") {
    return {
      candidates: [
        {
          content: { role: "model", parts: filtered ? [] : [{ text: answer.text }] },
          finishReason: filtered ? "SAFETY" : "STOP",
        },
      ],
      usageMetadata: {
        promptTokenCount: answer.inputTokens,
        candidatesTokenCount: answer.outputTokens,
        thoughtsTokenCount: 0,
        totalTokenCount: answer.inputTokens + answer.outputTokens,
      },
      modelVersion: model,
      ...extra,
    };
  }
  if (wire === "ollama") {
    return {
      model,
      message: { role: "assistant", content: answer.text },
      done: true,
      done_reason: filtered ? "content_filter" : "stop",
      prompt_eval_count: answer.inputTokens,
      eval_count: answer.outputTokens,
      ...extra,
    };
  }
  return {
    id: "chatcmpl-mock",
    object: "chat.completion",
    created: 0,
    model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: filtered ? null : answer.text },
        finish_reason: answer.finishReason,
      },
    ],
    usage: {
      prompt_tokens: answer.inputTokens,
      completion_tokens: answer.outputTokens,
      total_tokens: answer.inputTokens + answer.outputTokens,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
    },
    ...extra,
  };
}

function openaiStream(response: ServerResponse, model: string, answer: Answer, includeUsage: boolean): void {
  response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const base = { id: "chatcmpl-mock", object: "chat.completion.chunk", created: 0, model };
  const third = Math.max(1, Math.ceil(answer.text.length / 3));
  let out = `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] })}\n\n`;
  if (answer.finishReason === "stop") {
    for (let start = 0; start < answer.text.length; start += third) {
      const piece = answer.text.slice(start, start + third);
      out += `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] })}\n\n`;
    }
  }
  out += `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: answer.finishReason }] })}\n\n`;
  if (includeUsage) {
    const usage = {
      prompt_tokens: answer.inputTokens,
      completion_tokens: answer.outputTokens,
      total_tokens: answer.inputTokens + answer.outputTokens,
    };
    out += `data: ${JSON.stringify({ ...base, choices: [], usage })}\n\n`;
  }
  out += "data: [DONE]\n\n";
  response.end(out);
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

/** Starts the mock provider on 127.0.0.1 with an ephemeral port. */
export async function startMockProviderServer(initial: MockServerOptions = {}): Promise<MockProviderServer> {
  let options: MockServerOptions = { ...initial };
  let random = seededRandom(options.seed ?? 1);
  let requests = 0;
  let byStatus: Record<string, number> = {};
  let successfulByPrompt = new Map<string, number>();
  const windowStarts: number[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const count = (status: string): void => {
    byStatus[status] = (byStatus[status] ?? 0) + 1;
  };

  const answerFor = (parsed: ParsedRequest, filtered: boolean): Answer => {
    const input: RespondInput = { wire: parsed.wire, model: parsed.model, messages: parsed.messages };
    if (parsed.temperature !== undefined) input.temperature = parsed.temperature;
    const text = (options.respond ?? defaultAnswer)(input);
    let inputWords = 0;
    for (const message of parsed.messages) inputWords += countWords(message.content);
    return {
      text,
      finishReason: filtered ? "content_filter" : "stop",
      inputTokens: inputWords,
      outputTokens: countWords(text),
    };
  };

  /** Sliding 60 s window; returns the wait in ms when the request is over the limit. */
  const rateWindowWait = (): number | undefined => {
    const limit = options.requestsPerMinute;
    if (!limit) return undefined;
    const now = (options.now ?? Date.now)();
    while (windowStarts.length > 0 && (windowStarts[0] ?? 0) <= now - 60_000) windowStarts.shift();
    if (windowStarts.length >= limit) return Math.max(1, (windowStarts[0] ?? now) + 60_000 - now);
    windowStarts.push(now);
    return undefined;
  };

  const handle = (request: IncomingMessage, response: ServerResponse, raw: string): void => {
    requests++;
    const url = request.url ?? "/";
    const queryAt = url.indexOf("?");
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    const query = queryAt === -1 ? "" : url.slice(queryAt + 1);
    if (request.method === "GET" && path === "/v1/models") {
      const models = options.knownModels ?? ["mock-model"];
      count("200");
      sendJson(response, 200, {
        object: "list",
        data: models.map((id) => ({ id, object: "model", owned_by: "mock" })),
      });
      return;
    }
    let body: any;
    try {
      body = raw ? JSON.parse(raw) : {};
    } catch {
      count("400");
      sendJson(response, 400, {
        error: { message: "request body is not JSON", type: "invalid_request_error" },
      });
      return;
    }
    const parsed = request.method === "POST" ? parseRequest(request, path, query, body) : undefined;
    if (!parsed) {
      count("404");
      sendJson(response, 404, {
        error: { message: `no route ${request.method} ${path}`, type: "not_found" },
      });
      return;
    }
    const { wire } = parsed;
    if (options.apiKey !== undefined && wire !== "ollama" && parsed.key !== options.apiKey) {
      count("401");
      sendJson(response, 401, errorBody(wire, 401, "Incorrect API key provided.", "invalid_api_key"));
      return;
    }
    if (options.knownModels && !options.knownModels.includes(parsed.model)) {
      count("404");
      sendJson(
        response,
        404,
        errorBody(wire, 404, `The model '${parsed.model}' does not exist.`, "model_not_found"),
      );
      return;
    }
    if (
      parsed.temperature !== undefined &&
      (wire === "openai" || wire === "anthropic") &&
      options.rejectTemperatureModels?.includes(parsed.model)
    ) {
      count("400");
      sendJson(response, 400, temperatureRejection(wire, parsed.temperature));
      return;
    }
    const wait = rateWindowWait();
    if (wait !== undefined) {
      count("429");
      sendJson(
        response,
        429,
        errorBody(wire, 429, "Rate limit reached for requests per minute.", "rate_limit_exceeded"),
        {
          "retry-after": String(Math.ceil(wait / 1000)),
          "retry-after-ms": String(wait),
        },
      );
      return;
    }
    const faults = options.faults ?? {};
    const draw = random();
    let threshold = 0;
    const hit = (rate: number | undefined): boolean => {
      threshold += rate ?? 0;
      return draw < threshold;
    };
    if (hit(faults.serverErrorRate)) {
      count("500");
      sendJson(
        response,
        500,
        errorBody(wire, 500, "The server had an error processing your request.", "server_error"),
      );
      return;
    }
    if (hit(faults.rateLimitRate)) {
      count("429");
      const headers: Record<string, string> = {};
      const retryAfterMs = faults.rateLimitRetryAfterMs;
      const mix = faults.rateLimitHeaderMix;
      const style =
        mix !== undefined && mix.length > 0
          ? (mix[Math.floor(random() * mix.length)] ?? "none")
          : (faults.rateLimitHeader ?? "both");
      if (mix !== undefined) count(`429-${retryAfterMs === undefined ? "none" : style}`);
      if (retryAfterMs !== undefined && style !== "none") {
        if (style !== "ms") headers["retry-after"] = String(Math.ceil(retryAfterMs / 1000));
        if (style !== "seconds") headers["retry-after-ms"] = String(retryAfterMs);
      }
      sendJson(response, 429, errorBody(wire, 429, "Rate limit reached.", "rate_limit_exceeded"), headers);
      return;
    }
    if (hit(faults.hangRate)) {
      count("hang");
      return;
    }
    if (hit(faults.resetRate)) {
      count("reset");
      request.socket.destroy();
      return;
    }
    const truncated = hit(faults.truncatedRate);
    const malformed = !truncated && hit(faults.malformedRate);
    const oversized = !truncated && !malformed && hit(faults.oversizedRate);
    const filtered = !truncated && !malformed && !oversized && hit(faults.contentFilterRate);

    const finish = (): void => {
      if (response.destroyed) return;
      if (malformed) {
        count("200");
        const html = "<html><body>502 Bad Gateway</body></html>";
        response.writeHead(200, { "content-type": "text/html", "content-length": html.length });
        response.end(html);
        return;
      }
      const answer = answerFor(parsed, filtered);
      if (truncated) {
        count("200");
        const text = JSON.stringify(successBody(wire, parsed.model, answer));
        response.writeHead(200, { "content-type": "application/json" });
        response.end(text.slice(0, Math.floor(text.length / 2)));
        return;
      }
      count("200");
      if (!filtered) {
        const key = promptKey(parsed.model, parsed.messages);
        successfulByPrompt.set(key, (successfulByPrompt.get(key) ?? 0) + 1);
      }
      if (parsed.stream && wire === "openai") {
        openaiStream(response, parsed.model, answer, parsed.includeUsage);
        return;
      }
      const padding = oversized ? "x".repeat(faults.oversizedBytes ?? 4 * 1024 * 1024) : undefined;
      sendJson(response, 200, successBody(wire, parsed.model, answer, padding));
    };
    const latency = options.latencyMs ?? 0;
    if (latency > 0) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        finish();
      }, latency);
      timers.add(timer);
    } else {
      finish();
    }
  };

  const server = createServer({ keepAlive: true }, (request, response) => {
    let raw = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      raw += chunk;
    });
    request.on("end", () => handle(request, response, raw));
  });
  server.keepAliveTimeout = 30_000;
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    openaiBaseUrl: `${url}/v1`,
    anthropicBaseUrl: url,
    googleBaseUrl: url,
    ollamaBaseUrl: url,
    stats: () => ({ requests, byStatus: { ...byStatus }, successfulByPrompt: new Map(successfulByPrompt) }),
    resetStats: () => {
      requests = 0;
      byStatus = {};
      successfulByPrompt = new Map();
    },
    setOptions: (partial) => {
      options = { ...options, ...partial };
      if (partial.seed !== undefined) random = seededRandom(partial.seed);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
      }),
  };
}
