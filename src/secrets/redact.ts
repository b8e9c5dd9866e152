/**
 * Removes secrets from any text before it is printed: the values of the API-key environment
 * variables this tool reads, the keys and tokens handed to model adapters (known-keys.ts: a Microsoft
 * Entra ID token is in no variable), anything that looks like a bearer token, a JWT or a provider key,
 * and the user information (user:password) of any URL in the text, such as a base URL or a proxy URL
 * quoted in an error message.
 */
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
  let redacted = text;
  for (const value of secretValues(environment)) redacted = redacted.split(value).join("[redacted]");
  return redactKnownKeys(redacted)
    .replace(keyShapedPattern, "[redacted]")
    .replace(/(Bearer\s+)\S+/gi, "$1[redacted]")
    .replace(urlUserInformationPattern, (whole, scheme: string, information: string) =>
      information === placeholderUserInformation ? whole : `${scheme}[redacted]@`,
    );
}
