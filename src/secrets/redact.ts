/**
 * Removes secrets from any text before it is printed: the values of the API-key environment
 * variables this tool reads, the keys and tokens handed to model adapters (known-keys.ts: a Microsoft
 * Entra ID token is in no variable), anything that looks like a bearer token, a JWT or a provider key,
 * and the user information (user:password) of any URL in the text, such as a base URL or a proxy URL
 * quoted in an error message.
 */
import { InputError } from "../errors.ts";
import { checkTextArgument } from "../options/library-options.ts";
import { shownValue } from "../options/option-name.ts";
import { redactKnownKeys } from "./known-keys.ts";

const secretVariablePattern = /(?:API_KEY|_TOKEN|_SECRET)$/;
const keyShapedPattern =
  /\b(?:sk-[A-Za-z0-9_-]{8,}|sk-ant-[A-Za-z0-9_-]{8,}|AIza[0-9A-Za-z_-]{20,})\b|\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g;

/**
 * `scheme://user:password@` (or `scheme://token@`): the part before the @ is replaced, except the
 * placeholder `user:password` that messages use to show the form.
 */
const urlUserInformationPattern = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@"'<>`]+)@/gi;
const placeholderUserInformation = "user:password";

export function secretValues(environment: NodeJS.ProcessEnv = process.env): string[] {
  return Object.entries(environment)
    .filter(
      ([name, value]) => secretVariablePattern.test(name) && typeof value === "string" && value.length >= 4,
    )
    .map(([, value]) => value as string);
}

export function redactSecrets(text: string, environment: NodeJS.ProcessEnv = process.env): string {
  checkTextArgument(text, "redactSecrets: text", '"an error message"');
  if (environment === null || typeof environment !== "object")
    throw new InputError(
      `redactSecrets: environment must be an object of variables such as process.env, got ${shownValue(environment)}`,
    );
  let redacted = text;
  for (const value of secretValues(environment)) redacted = redacted.split(value).join("[redacted]");
  return redactKnownKeys(redacted)
    .replace(keyShapedPattern, "[redacted]")
    .replace(/(Bearer\s+)\S+/gi, "$1[redacted]")
    .replace(urlUserInformationPattern, (whole, scheme: string, information: string) =>
      information === placeholderUserInformation ? whole : `${scheme}[redacted]@`,
    );
}

/**
 * The text with key-shaped runs (provider keys, JWTs) replaced: the part of redactSecrets that depends on
 * the text alone, for a value that must come out the same in every process (models/endpoint-identity.ts).
 */
export function redactKeyShaped(text: string): string {
  return text.replace(keyShapedPattern, "[redacted]");
}
