/** createModel("provider:model"): parses a model id and builds the adapter, checking keys up front. */
import { InputError } from "../errors.ts";
import { checkOptionsObject } from "../options/library-options.ts";
import { rememberKey } from "../secrets/known-keys.ts";
import { closestName } from "../text/closest-name.ts";
import { createAnthropicModel } from "./anthropic.ts";
import { entraIdFix, entraIdTokenSource, signsInWithEntraId } from "./azure-entra-id.ts";
import { withCheckedCalls } from "./checked-calls.ts";
import { createGoogleModel } from "./google.ts";
import { createOllamaModel } from "./ollama.ts";
import { createOpenAIModel } from "./openai.ts";
import { withParameterFallback } from "./parameter-fallback.ts";
import { presets } from "./presets.ts";
import { createReplayModel } from "./replay.ts";
import { type Route, routeFor } from "./route.ts";
import type { Model } from "./types.ts";

export interface CreateModelOptions {
  /** Overrides the provider's base URL (the --base-url flag). */
  baseUrl?: string;
  /** The flag that sets this model's base URL, named in errors (default "--base-url"; e.g. "--judge-base-url"). */
  baseUrlFlag?: string;
  /** The flag that names this model, in the fix of a bad request or unknown model (default "--target"). */
  modelFlag?: string;
  /**
   * Where keys, base URLs and proxy variables (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY) are read from;
   * defaults to process.env.
   */
  environment?: NodeJS.ProcessEnv;
}

export const knownProviders = [
  "openai",
  "anthropic",
  "google",
  "azure",
  "ollama",
  "replay",
  ...Object.keys(presets),
];

/** Splits "provider:model" at the first colon; the model part may contain colons and slashes. */
export function parseModelId(id: string): { provider: string; model: string } {
  // Library callers in plain JavaScript can pass anything; a missing id must not surface as a TypeError.
  if (typeof id !== "string")
    throw new InputError(
      `model id must be a string like openai:gpt-4o-mini, got ${id === undefined ? "nothing" : JSON.stringify(id)}`,
    );
  const colon = id.indexOf(":");
  if (colon <= 0 || colon === id.length - 1)
    throw new InputError(
      `model id "${id}" must look like provider:model (e.g. openai:gpt-4o-mini); providers: ${knownProviders.join(", ")}`,
    );
  return { provider: id.slice(0, colon).toLowerCase(), model: id.slice(colon + 1) };
}

/**
 * A key as it can go into a header: surrounding spaces and line breaks (a key pasted from a file) are
 * dropped; one with a space, line break or control character inside is an InputError naming the
 * variable, never showing the key. Undefined for an unset or blank variable.
 */
function usableKey(environment: NodeJS.ProcessEnv, variable: string, id: string): string | undefined {
  const key = environment[variable]?.trim();
  if (!key) return undefined;
  if (/[\s\u0000-\u001f\u007f]/.test(key))
    throw new InputError(
      `${id}: ${variable} has a space, line break or control character inside the key; set it to the key alone`,
    );
  // So that the engine can hide the key if an endpoint reflects it in an answer (src/secrets/known-keys.ts).
  rememberKey(key);
  return key;
}

function requireKey(
  environment: NodeJS.ProcessEnv,
  variables: string[],
  id: string,
  alternative = "",
): { key: string; variable: string } {
  for (const variable of variables) {
    const key = usableKey(environment, variable, id);
    if (key) return { key, variable };
  }
  throw new InputError(`${id}: no API key; set ${variables.join(" or ")} in the environment${alternative}`);
}

function checkUrl(url: string, hint: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError(`base URL "${url}" is not a URL; fix ${hint}`);
  }
  // "localhost:8000/v1" parses (as the scheme "localhost:") and would then fail every request as a
  // retryable network error: refused here, at once.
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    const example = url.includes("://") ? "" : ` (e.g. http://${url})`;
    throw new InputError(`base URL "${url}" must start with http:// or https://${example}; fix ${hint}`);
  }
  return url;
}

/**
 * Azure OpenAI's v1 base URL from AZURE_OPENAI_ENDPOINT (https://<resource>.openai.azure.com): the
 * endpoint plus /openai/v1, unless the variable already ends with that path.
 */
function azureBaseUrl(environment: NodeJS.ProcessEnv, flag: string, id: string): string {
  const endpoint = environment.AZURE_OPENAI_ENDPOINT?.trim().replace(/\/+$/, "");
  if (!endpoint) {
    const other = flag.startsWith("--") ? `pass ${flag}` : `set ${flag}`;
    throw new InputError(
      `${id}: no Azure OpenAI endpoint; set AZURE_OPENAI_ENDPOINT (https://<resource>.openai.azure.com) or ${other}`,
    );
  }
  return /\/openai\/v1$/i.test(endpoint) ? endpoint : `${endpoint}/openai/v1`;
}

/**
 * The paths of the presets on this base URL's host: `openai:` pointed at `https://openrouter.ai/api/v1`
 * is the same endpoint as `openrouter:`, and keeps the cache key (host alone) it had before paths counted.
 */
function presetPathsOn(baseUrl: string): string[] {
  const host = new URL(baseUrl).host;
  return Object.values(presets)
    .map((preset) => new URL(preset.baseUrl))
    .filter((presetUrl) => presetUrl.host === host)
    .map((presetUrl) => presetUrl.pathname);
}

/**
 * Builds the Model for an id such as "openai:gpt-4o-mini", "ollama:qwen2.5:7b" or "replay:runs/#gpt-4o".
 * Its `generate(request, signal)` never throws, whatever it is given (checked-calls.ts).
 */
export function createModel(id: string, options: CreateModelOptions = {}): Model {
  checkOptionsObject(options, "createModel", "baseUrl?, environment?");
  return withCheckedCalls(buildModel(id, options));
}

function buildModel(id: string, options: CreateModelOptions): Model {
  const environment = options.environment ?? process.env;
  const { provider, model } = parseModelId(id);
  const flag = options.baseUrlFlag ?? "--base-url";
  /** Where the base URL can be changed: a base URL given here wins over the variable, so then only the flag. */
  const baseUrlHintFor = (variable: string): string =>
    options.baseUrl === undefined ? `${flag} or ${variable}` : flag;
  const named = options.modelFlag === undefined ? {} : { modelFlag: options.modelFlag };
  /** Direct, or through the proxy the environment names for this base URL. */
  const routeTo = (baseUrl: string): Route => routeFor(new URL(baseUrl), environment);
  if (provider === "openai") {
    const baseUrl = checkUrl(
      options.baseUrl ?? environment.OPENAI_BASE_URL ?? "https://api.openai.com/v1",
      baseUrlHintFor("OPENAI_BASE_URL"),
    );
    const apiKey = usableKey(environment, "OPENAI_API_KEY", id);
    const local = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:|\/|$)/.test(baseUrl);
    // A local server needs no key: when the request would go to the default endpoint, say how to point it there.
    const alternative =
      options.baseUrl === undefined && environment.OPENAI_BASE_URL === undefined
        ? ` (it would go to ${baseUrl}), or point it to your server with ${flag} or OPENAI_BASE_URL`
        : "";
    if (!apiKey && !local) requireKey(environment, ["OPENAI_API_KEY"], id, alternative);
    return withParameterFallback(
      createOpenAIModel({
        id,
        provider,
        model,
        baseUrl,
        defaultPaths: presetPathsOn(baseUrl),
        keyVariable: "OPENAI_API_KEY",
        baseUrlHint: baseUrlHintFor("OPENAI_BASE_URL"),
        route: routeTo(baseUrl),
        ...named,
        ...(apiKey ? { apiKey } : {}),
      }),
    );
  }
  if (provider === "azure") {
    // Azure OpenAI's v1 API: OpenAI's chat-completions wire under <resource>/openai/v1, the model id's
    // part after "azure:" is the deployment name, and the key goes in an `api-key` header. Without a key,
    // a Microsoft Entra ID token goes in `Authorization: Bearer` (azure-entra-id.ts); a key always wins.
    const baseUrlHint = baseUrlHintFor("AZURE_OPENAI_ENDPOINT");
    const baseUrl = checkUrl(options.baseUrl ?? azureBaseUrl(environment, flag, id), baseUrlHint);
    const key = usableKey(environment, "AZURE_OPENAI_API_KEY", id);
    const common = {
      id,
      provider,
      model,
      baseUrl,
      // The v1 API's root (azureBaseUrl); a deployment's own path (/openai/deployments/<name>) counts.
      defaultPaths: ["/openai/v1"],
      baseUrlHint,
      route: routeTo(baseUrl),
      ...named,
    };
    if (key)
      return withParameterFallback(
        createOpenAIModel({
          ...common,
          apiKey: key,
          keyHeader: "api-key",
          keyVariable: "AZURE_OPENAI_API_KEY",
        }),
      );
    // The sign-in can be checked before any request (signInBeforeRequests), with the same token source.
    const bearerToken = entraIdTokenSource(id, environment);
    return signsInWithEntraId(
      withParameterFallback(createOpenAIModel({ ...common, bearerToken, keyVariable: entraIdFix })),
      bearerToken,
    );
  }
  const preset = presets[provider];
  if (preset) {
    const override = preset.baseUrlVariable ? environment[preset.baseUrlVariable] : undefined;
    const hint = preset.baseUrlVariable ? baseUrlHintFor(preset.baseUrlVariable) : flag;
    const baseUrl = checkUrl(options.baseUrl ?? override ?? preset.baseUrl, hint);
    const apiKey = preset.keyVariable ? requireKey(environment, [preset.keyVariable], id).key : undefined;
    return withParameterFallback(
      createOpenAIModel({
        id,
        provider,
        model,
        baseUrl,
        defaultPaths: presetPathsOn(baseUrl),
        baseUrlHint: hint,
        route: routeTo(baseUrl),
        ...named,
        ...(preset.keyVariable ? { keyVariable: preset.keyVariable } : {}),
        ...(apiKey ? { apiKey } : {}),
      }),
    );
  }
  if (provider === "anthropic") {
    const { key } = requireKey(environment, ["ANTHROPIC_API_KEY"], id);
    const baseUrlHint = baseUrlHintFor("ANTHROPIC_BASE_URL");
    const baseUrl = checkUrl(
      options.baseUrl ?? environment.ANTHROPIC_BASE_URL ?? "https://api.anthropic.com",
      baseUrlHint,
    );
    return withParameterFallback(
      createAnthropicModel({
        id,
        model,
        baseUrl,
        apiKey: key,
        baseUrlHint,
        route: routeTo(baseUrl),
        ...named,
      }),
    );
  }
  if (provider === "google") {
    const { key, variable } = requireKey(environment, ["GEMINI_API_KEY", "GOOGLE_API_KEY"], id);
    const baseUrlHint = baseUrlHintFor("GOOGLE_BASE_URL");
    const baseUrl = checkUrl(
      options.baseUrl ?? environment.GOOGLE_BASE_URL ?? "https://generativelanguage.googleapis.com",
      baseUrlHint,
    );
    return withParameterFallback(
      createGoogleModel({
        id,
        model,
        baseUrl,
        apiKey: key,
        keyVariable: variable,
        baseUrlHint,
        route: routeTo(baseUrl),
        ...named,
      }),
    );
  }
  if (provider === "ollama") {
    const baseUrlHint = baseUrlHintFor("OLLAMA_BASE_URL");
    const baseUrl = checkUrl(
      options.baseUrl ?? environment.OLLAMA_BASE_URL ?? "http://localhost:11434",
      baseUrlHint,
    );
    return createOllamaModel({ id, model, baseUrl, baseUrlHint, route: routeTo(baseUrl), ...named });
  }
  if (provider === "replay") {
    try {
      return createReplayModel(id, model, options.modelFlag);
    } catch (error) {
      throw new InputError((error as Error).message);
    }
  }
  // The same "did you mean" as the config's model ids (openia:gpt-4o -> openai).
  const meant = closestName(provider, knownProviders);
  throw new InputError(
    `unknown provider "${provider}" in "${id}"${meant === undefined ? "" : ` (did you mean "${meant}:${model}"?)`}; known providers: ${knownProviders.join(", ")}`,
  );
}
