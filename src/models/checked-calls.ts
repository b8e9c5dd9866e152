import type { GenerateFailure, GenerateRequest, Model } from "./types.ts";

/**
 * A library caller's `model.generate(request, signal)`, checked before any adapter sees it, so that the
 * documented promise holds: it never throws. A request that is not `{ messages: [{ role, content }] }`
 * is a `fatal` failure (nothing is sent); a missing signal means "never cancelled". Without this, a
 * missing signal threw a TypeError after the request was on its way, and that request's own failure
 * later surfaced as an unhandled rejection that ended the caller's process.
 *
 * The model object is changed in place, not copied: other modules key state by it (Entra ID sign-in).
 */
export function withCheckedCalls(model: Model): Model {
  const generate = model.generate.bind(model);
  model.generate = (request: GenerateRequest, signal: AbortSignal) => {
    const problem = requestProblem(request) ?? signalProblem(signal);
    if (problem !== undefined) {
      const failure: GenerateFailure = {
        ok: false,
        errorClass: "fatal",
        message: `${model.id}: ${problem}`,
        fix: "the arguments of generate(request, signal)",
      };
      return Promise.resolve(failure);
    }
    return generate(request, signal ?? new AbortController().signal);
  };
  return model;
}

function requestProblem(request: unknown): string | undefined {
  const messages = (request as GenerateRequest | null | undefined)?.messages;
  const wellFormed =
    Array.isArray(messages) &&
    messages.length > 0 &&
    messages.every(
      (message: unknown) =>
        typeof (message as { role?: unknown } | null)?.role === "string" &&
        typeof (message as { content?: unknown }).content === "string",
    );
  return wellFormed
    ? undefined
    : 'generate needs a request { messages: [{ role: "user", content: "..." }] } with at least one message';
}

function signalProblem(signal: unknown): string | undefined {
  return signal === undefined || signal instanceof AbortSignal
    ? undefined
    : "generate's signal must be an AbortSignal when given (e.g. new AbortController().signal)";
}
