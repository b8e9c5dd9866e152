// biome-ignore-all lint/suspicious/noExplicitAny: provider wire JSON is untyped; every field read is checked at use
/** The HTTP calls every adapter makes (undici, direct or through a proxy): POST JSON or open a stream; classify failures, never throw. */
import type { Dispatcher } from "undici";
import { type FailureContext, failureFromError, failureFromStatus, unparseable } from "./failures.ts";
import { directRoute } from "./route.ts";
import type { GenerateFailure } from "./types.ts";

export interface HttpSuccess {
  ok: true;
  json: any;
}

/**
 * undici's plain header object as a Headers (what the failure classifier reads). A header sent twice
 * comes as an array; its first value is kept, as node:http does for Retry-After (joining "7, 7" would make
 * it unreadable).
 */
export function headersOf(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === "string") headers.set(name, first);
  }
  return headers;
}

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
 * The request's answer, or a rejection the moment `signal` aborts. undici honours an abort only once the
 * request has a connection: while the connection is still being opened (a slow TCP connect, a proxy that
 * has not answered CONNECT) the request would wait for that to end. A response that arrives after the
 * abort is let go of, so its connection returns to the pool.
 */
function settledByAbort(
  answer: Promise<Dispatcher.ResponseData>,
  signal: AbortSignal,
): Promise<Dispatcher.ResponseData> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason ?? new Error("aborted"));
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    answer.then(
      (response) => {
        signal.removeEventListener("abort", onAbort);
        if (signal.aborted) response.body.destroy();
        else resolve(response);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/**
 * One keep-alive POST through undici's request API (not fetch): it parses HTTP with llhttp and skips the
 * WHATWG Request/Response objects, and costs about 40% less CPU a request than node:http at concurrency 64
 * (see docs/design/model-adapters.md). Resolves once the answer's head is in; rejects on network errors
 * and aborts.
 */
function post(
  url: URL,
  headers: Record<string, string>,
  payload: string,
  signal: AbortSignal,
  dispatcher: Dispatcher,
): Promise<Dispatcher.ResponseData> {
  const target = targetOf(url);
  return settledByAbort(
    dispatcher.request({
      origin: target.origin,
      path: target.path,
      method: "POST",
      headers: withContentType(headers),
      body: payload,
      signal,
    }),
    signal,
  );
}

/** post() and the whole answer as text; rejects also on a body cut short. */
async function send(
  url: URL,
  headers: Record<string, string>,
  payload: string,
  signal: AbortSignal,
  dispatcher: Dispatcher,
): Promise<RawAnswer> {
  const response = await post(url, headers, payload, signal, dispatcher);
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
  dispatcher: Dispatcher = directRoute.dispatcher,
): Promise<HttpSuccess | GenerateFailure> {
  let answer: RawAnswer;
  try {
    answer = await send(url, headers, JSON.stringify(body), signal, dispatcher);
  } catch (error) {
    return failureFromError(error, context, signal);
  }
  if (answer.status < 200 || answer.status >= 300)
    return failureFromStatus(answer.status, headersOf(answer.headers), answer.text, context);
  try {
    return { ok: true, json: JSON.parse(answer.text) };
  } catch {
    return unparseable(context, whatWasNotJson(answer.text));
  }
}

/**
 * Why a 2xx body did not parse, for the failure message. A body that is not JSON at all (a proxy's or
 * captive portal's HTML page, a gateway's plain text) is quoted briefly, so that the user sees who
 * answered; `unparseable` scrubs it of terminal controls and keys.
 */
function whatWasNotJson(text: string): string {
  const body = text.trim();
  if (body.length === 0) return "empty body";
  if (body.startsWith("{") || body.startsWith("[")) return "truncated or invalid JSON";
  const start = body.replace(/\s+/g, " ").slice(0, 80);
  return `not JSON; it began: ${JSON.stringify(start)}${body.length > 80 ? "..." : ""}`;
}

/** A 2xx streaming answer: its body, read chunk by chunk. */
export interface HttpStream {
  ok: true;
  body: AsyncIterable<Uint8Array>;
}

/**
 * Opens a POST for streaming (the same undici request API and dispatcher as postJson); returns the body
 * of a 2xx answer or a classified failure. A caller that stops reading early must let go of the body
 * (`for await ... return` does), so the connection goes back to the pool.
 */
export async function postStream(
  url: URL,
  headers: Record<string, string>,
  body: unknown,
  signal: AbortSignal,
  context: FailureContext,
  dispatcher: Dispatcher = directRoute.dispatcher,
): Promise<HttpStream | GenerateFailure> {
  let response: Dispatcher.ResponseData;
  try {
    response = await post(url, headers, JSON.stringify(body), signal, dispatcher);
  } catch (error) {
    return failureFromError(error, context, signal);
  }
  if (response.statusCode < 200 || response.statusCode >= 300) {
    let text = "";
    try {
      text = await response.body.text();
    } catch {
      // the status alone classifies it
    }
    return failureFromStatus(response.statusCode, headersOf(response.headers), text, context);
  }
  return { ok: true, body: response.body };
}
