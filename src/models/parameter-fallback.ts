/**
 * Models that refuse a sampling parameter (OpenAI's reasoning models answer 400 to any temperature but
 * the default; see unsupported-parameter.ts for the texts recognised): the request is sent once more
 * without that parameter, and from then on, for the rest of the process, every request to that model
 * (same id, same endpoint) goes without it. The answer lists what was left out (`sentWithout`), so that
 * the record says the model ran at its provider's default, and listeners hear of each model once (the
 * CLI prints a note on stderr).
 *
 * The engine's cache key stays that of the request as asked (see store/cache-key.ts for why).
 */
import type { DroppableParameter, GenerateRequest, GenerateResult, Model } from "./types.ts";
import { wireName } from "./unsupported-parameter.ts";

/** What a listener hears the first time a model refuses a parameter. */
export interface OmittedParameterNote {
  modelId: string;
  endpoint: string;
  parameter: DroppableParameter;
  /** One line for people, e.g. for stderr. */
  message: string;
}

type Listener = (note: OmittedParameterNote) => void;

const omittedByModel = new Map<string, Set<DroppableParameter>>();
const listeners = new Set<Listener>();

function modelKey(model: Model): string {
  return `${model.id}\u0000${model.endpoint}`;
}

/** Calls `listener` each time a model is first found to refuse a parameter; returns the unsubscribe. */
export function onOmittedParameter(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The parameters this process learnt the model refuses (empty when none). */
export function omittedParameters(model: Model): ReadonlySet<DroppableParameter> {
  return omittedByModel.get(modelKey(model)) ?? new Set();
}

/** Forgets what was learnt (tests that start over in one process). */
export function forgetOmittedParameters(): void {
  omittedByModel.clear();
}

function remember(model: Model, parameter: DroppableParameter): void {
  const key = modelKey(model);
  let omitted = omittedByModel.get(key);
  if (omitted === undefined) {
    omitted = new Set();
    omittedByModel.set(key, omitted);
  }
  if (omitted.has(parameter)) return;
  omitted.add(parameter);
  const name = wireName(parameter);
  const note: OmittedParameterNote = {
    modelId: model.id,
    endpoint: model.endpoint,
    parameter,
    message: `${model.id} does not take ${name}: its requests are sent without it, so it answers at its provider's default ${name} (recorded as parameters.sentWithout)`,
  };
  for (const listener of listeners) listener(note);
}

function without(request: GenerateRequest, parameter: DroppableParameter): GenerateRequest {
  const copy = { ...request };
  delete copy[parameter];
  return copy;
}

/** The model, sending each request without the parameters it refuses (learnt from its 400s). */
export function withParameterFallback(model: Model): Model {
  const generate = async (request: GenerateRequest, signal: AbortSignal): Promise<GenerateResult> => {
    const left: DroppableParameter[] = [];
    let sent = request;
    for (const parameter of omittedParameters(model))
      if (sent[parameter] !== undefined) {
        sent = without(sent, parameter);
        left.push(parameter);
      }
    let result = await model.generate(sent, signal);
    // Once per parameter: a model that refuses temperature and then top_p costs two extra requests at most.
    while (
      !result.ok &&
      result.unsupportedParameter !== undefined &&
      sent[result.unsupportedParameter] !== undefined &&
      !signal.aborted
    ) {
      const parameter = result.unsupportedParameter;
      remember(model, parameter);
      sent = without(sent, parameter);
      left.push(parameter);
      result = await model.generate(sent, signal);
    }
    if (result.ok && left.length > 0) return { ...result, sentWithout: left };
    return result;
  };
  return { ...model, generate };
}
