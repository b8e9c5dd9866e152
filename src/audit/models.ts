/**
 * Builds the Model for a config entry (target, reference, judge or helper): the entry's base URL, and
 * its API key read from the environment variable the entry names. The key is only ever passed to the
 * model registry in memory; it is never written anywhere.
 */

import { type FieldPath, formatPath } from "../config/locate.ts";
import { type AuditConfig, type HelperConfig, helperEntry } from "../config/schema.ts";
import { InputError, SettingError } from "../errors.ts";
import { environmentWithKey } from "../models/key-variables.ts";
import { createModel } from "../models/registry.ts";
import type { Model } from "../models/types.ts";
import { looksLikeKey } from "../secrets/looks-like-key.ts";

export interface EndpointEntry {
  "base-url"?: string;
  "api-key-env"?: string;
}

/** A config problem found while building a model, with the config field it is about (for `file:line`). */
export class ConfigFieldError extends InputError {
  readonly path: FieldPath;
  constructor(path: FieldPath, message: string) {
    super(`${formatPath(path)}: ${message}`);
    this.path = path;
  }
}

/** `targets[0].api-key-env` -> ["targets", 0, "api-key-env"]. */
function fieldPath(field: string): Array<string | number> {
  return field
    .split(".")
    .flatMap((part) => part.split(/\[(\d+)\]/).filter((piece) => piece !== ""))
    .map((piece) => (/^\d+$/.test(piece) ? Number(piece) : piece));
}

/**
 * Creates the model of `id`, honouring the entry's `base-url` and `api-key-env`. `form` says how the
 * config wrote it: a mapping with its own `id` and `base-url` (targets, references, judges, the helper's
 * mapping form) or a plain model id (a judge given by id, the helper's short form); by default a field
 * ending in `[N]` is a mapping.
 */
export function modelFor(
  id: string,
  entry: EndpointEntry,
  environment: NodeJS.ProcessEnv,
  field: string,
  form: "mapping" | "id" = /\]$/.test(field) ? "mapping" : "id",
): Model {
  let modelEnvironment = environment;
  const variable = entry["api-key-env"];
  if (variable !== undefined) {
    const key = environment[variable];
    if (key === undefined || key === "") {
      // An unset "name" that looks like a key is most likely the key itself: never echo it.
      throw new ConfigFieldError(
        [...fieldPath(field), "api-key-env"],
        looksLikeKey(variable)
          ? "this looks like an API key, not the name of an environment variable (the value is not shown); " +
              "put the key in a variable (export MY_PROVIDER_KEY=...) and write its name here, then replace the key"
          : `environment variable ${variable} is not set (export it first)`,
      );
    }
    modelEnvironment = environmentWithKey(id, key, environment);
  }
  try {
    // Errors name what to fix in the config: a mapping has its own base-url and id; a plain model id
    // has only the environment.
    const entryField = form === "mapping";
    return createModel(id, {
      ...(entry["base-url"] !== undefined ? { baseUrl: entry["base-url"] } : {}),
      // A plain id has no base-url of its own: point at the form that has one (the helper's mapping form,
      // or a named judge for a judge given as a model id).
      baseUrlFlag: entryField
        ? `the config's ${field}.base-url`
        : field.endsWith(".helper")
          ? `the config's ${field} as a mapping with id and base-url`
          : "a named entry with base-url in the config's judges",
      modelFlag: `the config's ${entryField ? `${field}.id` : field}`,
      environment: modelEnvironment,
    });
  } catch (error) {
    // A missing key, an unknown provider or a bad URL: say which config entry it comes from. A bad proxy
    // variable is about every entry, so it is reported as it is.
    if (error instanceof InputError && !(error instanceof SettingError))
      throw new ConfigFieldError(fieldPath(field), error.message);
    throw error;
  }
}

/**
 * Builds every model the config names (targets, references, judges, helper) before anything is sent, so
 * that a missing key or a bad base URL stops the audit at once rather than after the first target's work.
 * Returns them, for the sign-in check that follows (signInBeforeRequests).
 */
export function checkConfigModels(config: AuditConfig, environment: NodeJS.ProcessEnv): Model[] {
  const { ice, rse } = config.evaluations;
  const models: Model[] = [];
  // Only ICE and RSE ask the targets: a lineage-only audit reads its corpus and needs no key.
  if (ice || rse)
    for (const [index, target] of config.targets.entries())
      models.push(modelFor(target.id, target, environment, `targets[${index}]`));
  if (ice) {
    if (ice.judge !== "embedded")
      models.push(judgeModelFor(ice.judge, config, environment, "evaluations.ice.judge"));
    if (ice.helper) models.push(helperModelFor(ice.helper, environment));
  }
  if (rse) {
    for (const [position, reference] of config.references.entries())
      models.push(modelFor(reference.id, reference, environment, `references[${position}]`));
    if (rse.judge !== "embedded")
      models.push(judgeModelFor(rse.judge, config, environment, "evaluations.rse.judge"));
  }
  return models;
}

/** The ICE helper's model, with its own `base-url` and `api-key-env` when the config gives them. */
export function helperModelFor(helper: HelperConfig, environment: NodeJS.ProcessEnv): Model {
  const entry = helperEntry(helper);
  const form = typeof helper === "string" ? "id" : "mapping";
  return modelFor(entry.id, entry, environment, "evaluations.ice.helper", form);
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
