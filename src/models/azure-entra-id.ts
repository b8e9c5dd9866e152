/**
 * Microsoft Entra ID sign-in for `azure:` models when AZURE_OPENAI_API_KEY is not set (many organisations
 * turn keys off). The official @azure/identity library does the work: DefaultAzureCredential tries, in
 * order, the environment (AZURE_CLIENT_ID + AZURE_TENANT_ID + AZURE_CLIENT_SECRET or a certificate),
 * workload identity, managed identity, VS Code, the Azure CLI (`az login`), Azure PowerShell and the Azure
 * Developer CLI (`azd auth login`); AZURE_TOKEN_CREDENTIALS narrows that list. getBearerTokenProvider
 * keeps the token in memory and gets a new one from 2 minutes before it expires, so a long run goes on.
 *
 * The library takes about half a second to load, so it is imported on the first request of such a model
 * only. Every token obtained is remembered like a key (src/secrets/known-keys.ts): an answer that
 * reflects it is stored with a marker instead, and no failure message shows it.
 */
import { rememberKey } from "../secrets/known-keys.ts";
import type { BearerTokenSource } from "./openai.ts";
import type { GenerateFailure } from "./types.ts";

/** The scope of Azure OpenAI (Azure AI services) data-plane tokens. */
export const cognitiveServicesScope = "https://cognitiveservices.azure.com/.default";

/** What a 401/403 with a token asks the user to check (a failure's `fix`). */
export const entraIdFix = "the Microsoft Entra ID sign-in and its Cognitive Services OpenAI User role";

const howToSignIn =
  "set AZURE_OPENAI_API_KEY, or run `az login`, or set AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET";

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
    message: `${modelId}: ${reason}; ${howToSignIn}`,
  };
}

async function loadTokenProvider(): Promise<() => Promise<string>> {
  const { DefaultAzureCredential, getBearerTokenProvider } = await import("@azure/identity");
  return getBearerTokenProvider(new DefaultAzureCredential(), cognitiveServicesScope);
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

/**
 * The bearer tokens of one model: loads @azure/identity and builds the credential on the first call;
 * every call after that asks the same token provider (which caches and renews, and makes requests that
 * ask at once share one sign-in).
 */
export function entraIdTokenSource(modelId: string): BearerTokenSource {
  let provider: Promise<() => Promise<string>> | undefined;
  let signedIn = false;
  return async () => {
    try {
      provider ??= loadTokenProvider();
      const token = await (await provider)();
      rememberKey(token);
      signedIn = true;
      return { ok: true, token };
    } catch (error) {
      return signedIn ? renewalFailure(modelId, error) : signInFailure(modelId, error);
    }
  };
}
