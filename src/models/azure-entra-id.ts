/**
 * Microsoft Entra ID sign-in for `azure:` models when AZURE_OPENAI_API_KEY is not set (many organisations
 * turn keys off). The official @azure/identity library does the work: DefaultAzureCredential tries, in
 * order, the environment (AZURE_CLIENT_ID + AZURE_TENANT_ID + AZURE_CLIENT_SECRET or a certificate),
 * workload identity, managed identity, VS Code, the Azure CLI (`az login`), Azure PowerShell and the Azure
 * Developer CLI (`azd auth login`); AZURE_TOKEN_CREDENTIALS narrows that list. getBearerTokenProvider
 * keeps the token in memory and gets a new one from 2 minutes before it expires, so a long run goes on.
 *
 * The library takes about half a second to load, so it is imported only when such a model first needs a
 * token: at the up-front check of a command (signInBeforeRequests) or at its first request. Every token
 * obtained is remembered like a key (src/secrets/known-keys.ts): an answer that reflects it is stored
 * with a marker instead, and no failure message shows it.
 */
import { createHash } from "node:crypto";
import { InputError } from "../errors.ts";
import { shownKind } from "../options/library-options.ts";
import { rememberKey } from "../secrets/known-keys.ts";
import type { BearerTokenSource } from "./openai.ts";
import { proxyFor } from "./route.ts";
import type { GenerateFailure, Model } from "./types.ts";

/** The scope of Azure OpenAI (Azure AI services) data-plane tokens. */
export const cognitiveServicesScope = "https://cognitiveservices.azure.com/.default";

/** What a 401/403 with a token asks the user to check (a failure's `fix`). */
export const entraIdFix = "the Microsoft Entra ID sign-in and its Cognitive Services OpenAI User role";

const servicePrincipal = "set AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET";

/**
 * What to do next, for the credentials AZURE_TOKEN_CREDENTIALS lets the chain try (read as the library
 * reads it): `dev` skips a service principal, `prod` skips `az login`, so neither is suggested in vain.
 */
export function howToSignIn(environment: NodeJS.ProcessEnv): string {
  const setting = environment.AZURE_TOKEN_CREDENTIALS?.trim().toLowerCase() ?? "";
  if (setting === "dev")
    return "set AZURE_OPENAI_API_KEY, or run `az login` (or `azd auth login`); AZURE_TOKEN_CREDENTIALS=dev tries only these developer sign-ins";
  if (setting === "prod")
    return `set AZURE_OPENAI_API_KEY, or ${servicePrincipal}; AZURE_TOKEN_CREDENTIALS=prod tries only a service principal, workload identity and managed identity, never \`az login\``;
  if (setting !== "")
    return "set AZURE_OPENAI_API_KEY, or set up the one credential AZURE_TOKEN_CREDENTIALS names, or unset AZURE_TOKEN_CREDENTIALS to try them all";
  return `set AZURE_OPENAI_API_KEY, or run \`az login\`, or ${servicePrincipal}`;
}

/** Errors with which the credential chain says that no credential is set up or the sign-in was refused. */
const signInErrors = new Set([
  "AggregateAuthenticationError",
  "CredentialUnavailableError",
  "AuthenticationRequiredError",
]);

/**
 * One line for a token that could not be had, fatal (the run stops with exit 2: asking again cannot
 * help). The library's own message is left out: it is many lines, one per credential tried.
 */
function signInFailure(modelId: string, error: unknown): GenerateFailure {
  const name = error instanceof Error ? error.name : "";
  const message = error instanceof Error ? error.message : "";
  if (/^Invalid value for AZURE_TOKEN_CREDENTIALS/.test(message))
    return {
      ok: false,
      errorClass: "fatal",
      fix: "AZURE_TOKEN_CREDENTIALS",
      message: `${modelId}: AZURE_TOKEN_CREDENTIALS is not one @azure/identity knows; set it to dev, prod or one credential's name (e.g. AzureCliCredential), or unset it`,
    };
  const reason = signInErrors.has(name)
    ? "no Azure credential worked (no key, no Microsoft Entra ID sign-in)"
    : `Microsoft Entra ID sign-in failed (${/^\w{1,60}$/.test(name) ? name : "error"})`;
  return {
    ok: false,
    errorClass: "fatal",
    fix: "AZURE_OPENAI_API_KEY",
    message: `${modelId}: ${reason}; ${howToSignIn(process.env)}`,
  };
}

/** Entra ID's sign-in host, as @azure/identity picks it (AZURE_AUTHORITY_HOST, else the public cloud). */
function authorityHost(): URL {
  const host = process.env.AZURE_AUTHORITY_HOST?.trim();
  try {
    if (host) return new URL(host);
  } catch {
    // The library reports a bad authority host itself, at sign-in.
  }
  return new URL("https://login.microsoftonline.com");
}

/**
 * The options of DefaultAzureCredential: the HTTP(S) proxy that `environment` names for the sign-in host
 * (our reading of HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY, as for the model's own requests), as
 * `proxyOptions` of the library's HTTP pipeline, which then sends its token requests (client secret,
 * certificate, workload and managed identity) through it. A SOCKS proxy cannot be given there (that
 * pipeline only speaks HTTP CONNECT), so none is passed: the library then reads the proxy variables itself.
 * The Azure CLI and the other developer tools run as programs with their own proxy settings.
 */
export function entraIdCredentialOptions(environment: NodeJS.ProcessEnv): {
  proxyOptions?: { host: string; port: number; username?: string; password?: string };
} {
  const proxy = proxyFor(authorityHost(), environment);
  if (proxy === undefined) return {};
  const { proxyUrl } = proxy;
  if (proxyUrl.protocol !== "http:" && proxyUrl.protocol !== "https:") return {};
  return {
    proxyOptions: {
      host: `${proxyUrl.protocol}//${proxyUrl.hostname}`,
      port: Number(proxyUrl.port) || (proxyUrl.protocol === "https:" ? 443 : 80),
      // Still %-escaped: the library puts them back into a URL as they are.
      ...(proxyUrl.username === "" ? {} : { username: proxyUrl.username }),
      ...(proxyUrl.password === "" ? {} : { password: proxyUrl.password }),
    },
  };
}

async function loadTokenProvider(
  options: ReturnType<typeof entraIdCredentialOptions>,
): Promise<() => Promise<string>> {
  const { DefaultAzureCredential, getBearerTokenProvider } = await import("@azure/identity");
  return getBearerTokenProvider(new DefaultAzureCredential(options), cognitiveServicesScope);
}

/**
 * A token that could not be renewed after the sign-in worked (a network blip on the way to Entra ID, an
 * `az` that timed out): retryable, so that one failure does not end a long run; the engine gives up after
 * its retries (exit 3) if the sign-in is really gone.
 */
function renewalFailure(modelId: string, error: unknown): GenerateFailure {
  const name = error instanceof Error && /^\w{1,60}$/.test(error.name) ? error.name : "error";
  return {
    ok: false,
    errorClass: "retryable",
    message: `${modelId}: could not renew the Microsoft Entra ID token (${name}); if this lasts, sign in again (\`az login\`) or check AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET`,
  };
}

interface SignIn {
  provider: Promise<() => Promise<string>>;
  /** A token was had once: a failure after that is a renewal that failed, not a missing sign-in. */
  signedIn: boolean;
}

/**
 * One sign-in per set of sign-in settings, shared by every model that signs in (the target, the judge,
 * the helper; the up-front check and the requests): one `az` call, one cached token. The key is a hash of
 * what the credential chain reads (it reads process.env, which tests change) and of the proxy passed.
 */
const signIns = new Map<string, SignIn>();

function signInSettings(options: ReturnType<typeof entraIdCredentialOptions>): string {
  const read = Object.entries(process.env)
    .filter(([name]) => /^(AZURE_|IDENTITY_|MSI_|IMDS_)|^(PATH|HOME|USERPROFILE)$|_PROXY$/i.test(name))
    .sort(([left], [right]) => (left < right ? -1 : 1));
  return createHash("sha256")
    .update(JSON.stringify([read, options]))
    .digest("hex");
}

function sharedSignIn(environment: NodeJS.ProcessEnv): SignIn {
  const options = entraIdCredentialOptions(environment);
  const key = signInSettings(options);
  let signIn = signIns.get(key);
  if (signIn === undefined) {
    const provider = loadTokenProvider(options);
    // Awaited by every token request; a load that fails is reported there, not as an unhandled rejection.
    provider.catch(() => {});
    signIn = { provider, signedIn: false };
    signIns.set(key, signIn);
  }
  return signIn;
}

/**
 * The bearer tokens of one model: loads @azure/identity and builds the credential on the first call
 * (shared with every other model signing in with the same settings); every call after that asks the same
 * token provider (which caches and renews, and makes requests that ask at once share one sign-in).
 * `environment` names the proxy of the sign-in (entraIdCredentialOptions).
 */
export function entraIdTokenSource(modelId: string, environment: NodeJS.ProcessEnv): BearerTokenSource {
  return async () => {
    let signIn: SignIn | undefined;
    try {
      signIn = sharedSignIn(environment);
      const token = await (await signIn.provider)();
      rememberKey(token);
      signIn.signedIn = true;
      return { ok: true, token };
    } catch (error) {
      return signIn?.signedIn ? renewalFailure(modelId, error) : signInFailure(modelId, error);
    }
  };
}

/** The token source of each model that signs in with Entra ID (set by the registry). */
const tokenSources = new WeakMap<Model, BearerTokenSource>();

/** Marks `model` as signing in through `source`, for signInBeforeRequests. */
export function signsInWithEntraId(model: Model, source: BearerTokenSource): Model {
  tokenSources.set(model, source);
  return model;
}

/**
 * Gets a token now for every model that signs in with Entra ID, so that a missing or broken sign-in stops
 * a command before any request to any model (an InputError, exit 2, with the line the first request would
 * have given). The token is cached and the requests use it. Models with a key are not touched: no
 * library is loaded and no `az` is run for them.
 */
export async function signInBeforeRequests(models: Iterable<Model | undefined>): Promise<void> {
  if (
    typeof models === "string" ||
    typeof (models as { [Symbol.iterator]?: unknown } | null | undefined)?.[Symbol.iterator] !== "function"
  )
    throw new InputError(
      `signInBeforeRequests: models must be a list of models from createModel, got ${shownKind(models)}`,
    );
  for (const model of models) {
    const source = model === undefined ? undefined : tokenSources.get(model);
    if (source === undefined) continue;
    const result = await source();
    if (!result.ok) throw new InputError(result.message, { cause: result });
  }
}
