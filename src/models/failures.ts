/**
 * Turns HTTP statuses, headers, network errors and bodies into classified failures (errors as values).
 * Every message is one line and passes through `scrub`, so an API key can never leak into it.
 */
import { withoutTerminalControls } from "../text/terminal-text.ts";
import { ProxyTunnelError } from "./proxy-tunnel.ts";
import type { GenerateFailure } from "./types.ts";
import { unsupportedParameterIn, wireName } from "./unsupported-parameter.ts";

const maximumRetryAfterMs = 60_000;

/** Milliseconds to wait from `retry-after-ms` or `Retry-After` (seconds or HTTP date), capped at 60 s. */
export function parseRetryAfter(headers: Headers, now: number = Date.now()): number | undefined {
  const milliseconds = headers.get("retry-after-ms");
  if (milliseconds !== null && milliseconds.trim() !== "") {
    const value = Number(milliseconds);
    if (Number.isFinite(value) && value >= 0) return Math.min(value, maximumRetryAfterMs);
  }
  const retryAfter = headers.get("retry-after");
  if (retryAfter === null || retryAfter.trim() === "") return undefined;
  const seconds = Number(retryAfter);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, maximumRetryAfterMs);
  const date = Date.parse(retryAfter);
  if (Number.isNaN(date)) return undefined;
  return Math.min(Math.max(0, date - now), maximumRetryAfterMs);
}

/**
 * One line, at most 300 characters, with every secret replaced by "[redacted]" and every terminal
 * control (ESC sequences, BEL, NUL, CR, C1, bidi overrides) dropped, so that a server's body cannot
 * drive the terminal it is printed on. Controls go first, so a key split by one is still found.
 */
export function scrub(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let line = withoutTerminalControls(text.replace(/\s+/g, " ")).replace(/\s+/g, " ").trim();
  for (const secret of secrets)
    if (secret && secret.length >= 4) line = line.split(secret).join("[redacted]");
  line = line.replace(/\b(sk|key|AIza)[-_A-Za-z0-9]{16,}/g, "[redacted]");
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

/** The provider's own error message from a JSON error body, when there is one. */
function providerMessage(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: unknown; message?: unknown };
    const error = parsed.error;
    if (typeof error === "string") return error;
    if (error && typeof error === "object" && typeof (error as { message?: unknown }).message === "string")
      return (error as { message: string }).message;
    if (typeof parsed.message === "string") return parsed.message;
  } catch {
    // not JSON: fall through to the raw text
  }
  return undefined;
}

/**
 * True for OpenAI's out-of-credit answer: `{"error": {"type": "insufficient_quota", "code":
 * "insufficient_quota" or null, ...}}` (the form quoted in many public issue threads). Rate limits proper
 * carry other types (`requests`, `tokens`) and stay retryable.
 */
function outOfQuota(body: string): boolean {
  try {
    const error = (JSON.parse(body) as { error?: { type?: unknown; code?: unknown } }).error;
    return error?.type === "insufficient_quota" || error?.code === "insufficient_quota";
  } catch {
    return false;
  }
}

export interface FailureContext {
  /** "openai:gpt-4o" - names the model in messages. */
  modelId: string;
  /** The env variable holding the key, for fatal auth failures. */
  keyVariable?: string;
  /** The env variable or flag setting the base URL. */
  baseUrlHint: string;
  /** The flag that names this model, the fix of a bad request or an unknown model (default "--target"). */
  modelFlag?: string;
  secrets: ReadonlyArray<string | undefined>;
  /** Host and port, named when the endpoint cannot be reached. */
  endpoint?: string;
  /** The variable that set the proxy requests go through (e.g. "HTTPS_PROXY"); absent when direct. */
  proxyVariable?: string;
  /** Added to an "endpoint not found (404)" message, e.g. that the base URL lacks its /v1. */
  notFoundHint?: string;
}

/**
 * What providers say when a request is over the context window: OpenAI and vLLM ("maximum context length",
 * code context_length_exceeded), Anthropic ("prompt is too long"), Gemini ("input token count ... exceeds
 * the maximum number of tokens"), llama.cpp ("exceeds the available context size"), proxies (413).
 */
const tooLongPattern =
  /context[_ ]length|maximum context|context (size|window)|exceed_context_size|prompt is too long|input is too long|too many (input )?tokens|exceeds the maximum number of tokens|request entity too large|payload too large/i;

/** Classifies a non-2xx HTTP answer. */
export function failureFromStatus(
  status: number,
  headers: Headers,
  body: string,
  context: FailureContext,
): GenerateFailure {
  // A raw body is scrubbed whole and only then cut: cutting first would leave the head of a key that
  // straddles the cut, which no longer matches the key and so survives the scrub.
  const detail = providerMessage(body) ?? scrub(body, context.secrets).slice(0, 200);
  const make = (errorClass: GenerateFailure["errorClass"], text: string, fix?: string): GenerateFailure => {
    const failure: GenerateFailure = { ok: false, errorClass, status, message: scrub(text, context.secrets) };
    if (fix !== undefined) failure.fix = fix;
    return failure;
  };
  if (status === 429) {
    // OpenAI answers 429 also when the account has no credit left ("insufficient_quota"): no retry can
    // help, and retrying every item would hold the run for minutes before it says so.
    if (outOfQuota(body)) {
      const fix = context.keyVariable ?? context.baseUrlHint;
      return make(
        "fatal",
        `${context.modelId}: the account has no quota left (429 insufficient_quota): ${detail}; check the plan and billing of the key in ${fix}`,
        fix,
      );
    }
    const failure = make("rate_limited", `${context.modelId}: rate limited (429): ${detail}`);
    const wait = parseRetryAfter(headers);
    if (wait !== undefined) failure.retryAfterMs = wait;
    return failure;
  }
  if (status === 401 || status === 403) {
    const fix = context.keyVariable ?? context.baseUrlHint;
    return make(
      "fatal",
      `${context.modelId}: authentication failed (${status}): ${detail}; check ${fix}`,
      fix,
    );
  }
  if (status === 404) {
    const unknownModel = /model/i.test(detail);
    return unknownModel
      ? make(
          "fatal",
          `${context.modelId}: unknown model (404): ${detail}; check the model id`,
          context.modelFlag ?? "--target",
        )
      : make(
          "fatal",
          `${context.modelId}: endpoint not found (404): ${detail}; check ${context.baseUrlHint}${context.notFoundHint ? ` (${context.notFoundHint})` : ""}`,
          context.baseUrlHint,
        );
  }
  if (status === 408 || status === 409 || status >= 500)
    return make("retryable", `${context.modelId}: server error (${status}): ${detail}`);
  // One prompt over the model's context window: that item fails, the others go on (and a retry cannot help).
  if ((status === 400 || status === 413 || status === 422) && tooLongPattern.test(detail))
    return make(
      "too_long",
      `${context.modelId}: request too long for the model (${status}): ${detail}; this item is left out (shorten it, or use a model with a longer context)`,
    );
  if (status === 400 || status === 422) {
    // Fatal for a caller that cannot act on it; parameter-fallback.ts sends the request again without it.
    const unsupported = unsupportedParameterIn(body);
    if (unsupported !== undefined) {
      const failure = make(
        "fatal",
        `${context.modelId}: the model does not take ${wireName(unsupported)} (${status}): ${detail}`,
        context.modelFlag ?? "--target",
      );
      failure.unsupportedParameter = unsupported;
      return failure;
    }
    if (/content[_ ]?(filter|policy)|safety/i.test(detail))
      return make("refused", `${context.modelId}: refused by the content filter: ${detail}`);
    return make(
      "fatal",
      `${context.modelId}: bad request (${status}): ${detail}`,
      context.modelFlag ?? "--target",
    );
  }
  return make("fatal", `${context.modelId}: unexpected status ${status}: ${detail}`, context.baseUrlHint);
}

/** Classifies a thrown network error or abort. */
export function failureFromError(
  error: unknown,
  context: FailureContext,
  signal: AbortSignal,
): GenerateFailure {
  if (signal.aborted) {
    return {
      ok: false,
      errorClass: "retryable",
      message: scrub(`${context.modelId}: request aborted (timeout or cancel)`, []),
    };
  }
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code ?? (error as { code?: string })?.code;
  const reason = code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  if (error instanceof ProxyTunnelError) return proxyFailure(error, context);
  if (code !== undefined && certificateCodes.has(code))
    return untrustedCertificate(code, context.endpoint, context, context.baseUrlHint);
  const refused =
    [
      "ECONNREFUSED",
      "ENOTFOUND",
      "EAI_AGAIN",
      "EHOSTUNREACH",
      "ENETUNREACH",
      "UND_ERR_CONNECT_TIMEOUT",
    ].includes(code ?? "") || reason === "bad port";
  const text = refused
    ? `${context.modelId}: cannot reach ${context.endpoint ?? "the endpoint"} (${reason}); check ${context.baseUrlHint}`
    : `${context.modelId}: network error (${reason})`;
  const failure: GenerateFailure = {
    ok: false,
    errorClass: "retryable",
    message: scrub(text, context.secrets),
  };
  if (refused) failure.fix = context.baseUrlHint;
  return failure;
}

/** TLS verification failures: asking again cannot help; the user has to trust the certificate. */
const certificateCodes = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "CERT_SIGNATURE_FAILURE",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** The certificate is fine but names another host: trusting more CAs cannot help. */
const wrongNameCode = "ERR_TLS_CERT_ALTNAME_INVALID";

/**
 * A certificate the TLS check refused: fatal, naming NODE_EXTRA_CA_CERTS (a proxy or gateway that
 * re-signs TLS, common in companies, has to be trusted explicitly).
 */
function untrustedCertificate(
  code: string,
  host: string | undefined,
  context: FailureContext,
  hostFix: string,
): GenerateFailure {
  const subject = `the TLS certificate of ${host ?? "the endpoint"}`;
  const wrongName = code === wrongNameCode;
  return {
    ok: false,
    errorClass: "fatal",
    fix: wrongName ? hostFix : "NODE_EXTRA_CA_CERTS",
    message: scrub(
      wrongName
        ? `${context.modelId}: ${subject} is for another host name (${code}); check ${hostFix}`
        : `${context.modelId}: ${subject} is not trusted (${code}); if a proxy or gateway re-signs TLS, give its CA certificate file in NODE_EXTRA_CA_CERTS`,
      context.secrets,
    ),
  };
}

const unreachable = [
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ETIMEDOUT",
  "UND_ERR_CONNECT_TIMEOUT",
];

/**
 * A tunnel through the proxy that could not be opened. 407 (credentials) and 403/405 (the proxy does not
 * allow this destination), and the same refusals from a SOCKS proxy, are fatal: asking again cannot help.
 * An unreachable proxy is retryable like an unreachable endpoint (the engine stops the run after a few in a
 * row); the rest is retryable.
 */
function proxyFailure(error: ProxyTunnelError, context: FailureContext): GenerateFailure {
  const proxy = context.proxyVariable ?? "HTTPS_PROXY / HTTP_PROXY";
  const endpoint = context.endpoint ?? "the endpoint";
  const make = (errorClass: GenerateFailure["errorClass"], text: string, fix?: string): GenerateFailure => {
    const failure: GenerateFailure = {
      ok: false,
      errorClass,
      message: scrub(`${context.modelId}: ${text}`, context.secrets),
    };
    // No `status`: that field is the provider's answer, and the proxy's CONNECT status is in the message.
    if (fix !== undefined) failure.fix = fix;
    return failure;
  };
  if (error.networkCode !== undefined && certificateCodes.has(error.networkCode))
    return untrustedCertificate(error.networkCode, `the proxy set by ${proxy}`, context, proxy);
  // An HTTP proxy's refusal is named by its status; a SOCKS proxy's by the message (it has no status).
  const reason = error.status === undefined ? error.message : String(error.status);
  if (error.refusal === "credentials")
    return make(
      "fatal",
      `the proxy set by ${proxy} wants credentials (${reason}); put them in ${proxy} as ${error.status === undefined ? "socks5" : "http"}://user:password@host:port`,
      proxy,
    );
  if (error.refusal === "destination")
    return make(
      "fatal",
      `the proxy set by ${proxy} does not allow connections to ${endpoint} (${reason}); ask for it to be allowed, or list the host in NO_PROXY`,
      proxy,
    );
  if (error.networkCode !== undefined && unreachable.includes(error.networkCode))
    return make(
      "retryable",
      `cannot reach the proxy set by ${proxy} (${error.networkCode}); check ${proxy}, or list the host in NO_PROXY`,
      proxy,
    );
  return make("retryable", `proxy set by ${proxy}: ${error.message}`);
}

/** A 200 whose body could not be used: retryable. */
export function unparseable(context: FailureContext, what: string): GenerateFailure {
  return {
    ok: false,
    errorClass: "retryable",
    message: scrub(`${context.modelId}: unparseable response (${what})`, context.secrets),
  };
}
