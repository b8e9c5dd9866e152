// biome-ignore-all lint/suspicious/noExplicitAny: provider wire JSON is untyped; every field read is checked at use
/** The HTTP calls every adapter makes: POST JSON (undici keep-alive) or a stream (fetch); classify failures, never throw. */
import { Agent } from "undici";
import { type FailureContext, failureFromError, failureFromStatus, unparseable } from "./failures.ts";
import type { GenerateFailure } from "./types.ts";

export interface HttpSuccess {
  ok: true;
  json: any;
}

/**
 * One undici dispatcher for every adapter: keep-alive pools per origin. Its own header and body timeouts
 * are off: the engine times each attempt out itself (--timeout-ms) and aborts the request's signal.
 */
const dispatcher = new Agent({ headersTimeout: 0, bodyTimeout: 0 });

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** What undici's request needs of a URL, worked out once per URL object (adapters keep theirs). */
interface Target {
  origin: string;
  path: string;
}

const targets = new WeakMap<URL, Target>();

function targetOf(url: URL): Target {
  let target = targets.get(url);
  if (target === undefined) {
    target = { origin: url.origin, path: `${url.pathname}${url.search}` };
    targets.set(url, target);
  }
  return target;
}

/** The request headers: the JSON content type plus the adapter's, merged once per headers object. */
const mergedHeaders = new WeakMap<Record<string, string>, Record<string, string>>();

function withContentType(headers: Record<string, string>): Record<string, string> {
  let merged = mergedHeaders.get(headers);
  if (merged === undefined) {
    merged = { "content-type": "application/json", ...headers };
    mergedHeaders.set(headers, merged);
  }
  return merged;
}

/**
 * One keep-alive POST through undici's request API (not fetch): it parses HTTP with llhttp and skips the
 * WHATWG Request/Response objects, and costs about 40% less CPU a request than node:http at concurrency 64
 * (see docs/design/model-adapters.md). Rejects on network errors, a body cut short and aborts.
 */
async function send(
  url: URL,
  headers: Record<string, string>,
  payload: string,
  signal: AbortSignal,
): Promise<RawAnswer> {
  const target = targetOf(url);
  const response = await dispatcher.request({
    origin: target.origin,
    path: target.path,
    method: "POST",
    headers: withContentType(headers),
    body: payload,
    signal,
  });
  return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
}

/**
 * POSTs `body` and returns the parsed JSON of a 2xx answer or a classified failure. Uses undici's request
 * API with a keep-alive agent rather than fetch or node:http: the least CPU a request (see docs/design).
 */
export async function postJson(
  url: URL,
  headers: Record<string, string>,
  body: unknown,
  signal: AbortSignal,
  context: FailureContext,
): Promise<HttpSuccess | GenerateFailure> {
  let answer: RawAnswer;
  try {
    answer = await send(url, headers, JSON.stringify(body), signal);
  } catch (error) {
    return failureFromError(error, context, signal);
  }
  if (answer.status < 200 || answer.status >= 300) {
    const answerHeaders = new Headers();
    for (const [name, value] of Object.entries(answer.headers))
      if (typeof value === "string") answerHeaders.set(name, value);
    return failureFromStatus(answer.status, answerHeaders, answer.text, context);
  }
  try {
    return { ok: true, json: JSON.parse(answer.text) };
  } catch {
    return unparseable(context, answer.text.length === 0 ? "empty body" : "not JSON or truncated");
  }
}

/** Opens a POST for streaming; returns the Response of a 2xx answer or a classified failure. */
export async function postStream(
  url: string,
  headers: Record<string, string>,
  body: unknown,
  signal: AbortSignal,
  context: FailureContext,
): Promise<Response | GenerateFailure> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
      signal,
    });
  } catch (error) {
    return failureFromError(error, context, signal);
  }
  if (!response.ok) {
    let text = "";
    try {
      text = await response.text();
    } catch {
      // the status alone classifies it
    }
    return failureFromStatus(response.status, response.headers, text, context);
  }
  return response;
}
