/**
 * Builds the Model for a config entry (target, reference, judge or helper): the entry's base URL, and
 * its API key read from the environment variable the entry names. The key is only ever passed to the
 * model registry in memory; it is never written anywhere.
 */
import type { AuditConfig } from "../config/schema.ts";
import { InputError } from "../errors.ts";
import { createModel } from "../models/registry.ts";
import type { Model } from "../models/types.ts";

export interface EndpointEntry {
  "base-url"?: string;
  "api-key-env"?: string;
}

/** The environment variable each provider reads its key from by default (architecture note). */
const defaultKeyVariables: Record<string, string[]> = {
  openai: ["OPENAI_API_KEY"],
  anthropic: ["ANTHROPIC_API_KEY"],
  google: ["GEMINI_API_KEY", "GOOGLE_API_KEY"],
};

/** Creates the model of `id`, honouring the entry's `base-url` and `api-key-env`. */
export function modelFor(
  id: string,
  entry: EndpointEntry,
  environment: NodeJS.ProcessEnv,
  field: string,
): Model {
  let modelEnvironment = environment;
  const variable = entry["api-key-env"];
  if (variable !== undefined) {
    const key = environment[variable];
    if (key === undefined || key === "") {
      throw new InputError(
        `${field}.api-key-env: environment variable ${variable} is not set (export it first)`,
      );
    }
    const provider = id.slice(0, id.indexOf(":"));
    const names = defaultKeyVariables[provider] ?? [`${provider.toUpperCase()}_API_KEY`];
    modelEnvironment = { ...environment, ...Object.fromEntries(names.map((name) => [name, key])) };
  }
  return createModel(id, {
    ...(entry["base-url"] !== undefined ? { baseUrl: entry["base-url"] } : {}),
    environment: modelEnvironment,
  });
}

/** The model behind a `judge` setting that is not "embedded": a named judge or a model id. */
export function judgeModelFor(
  judge: string,
  config: AuditConfig,
  environment: NodeJS.ProcessEnv,
  field: string,
): Model {
  const index = config.judges.findIndex((entry) => entry.name === judge);
  const named = config.judges[index];
  if (named) return modelFor(named.model, named, environment, `judges[${index}]`);
  return modelFor(judge, {}, environment, field);
}
