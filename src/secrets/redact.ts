/**
 * Removes secrets from any text before it is printed: the values of the API-key environment
 * variables this tool reads, the keys and tokens handed to model adapters (known-keys.ts: a Microsoft
 * Entra ID token is in no variable), and anything that looks like a bearer token, a JWT or a provider key.
 */
import { redactKnownKeys } from "./known-keys.ts";

const secretVariablePattern = /(?:API_KEY|_TOKEN|_SECRET)$/;
const keyShapedPattern =
  /\b(?:sk-[A-Za-z0-9_-]{8,}|sk-ant-[A-Za-z0-9_-]{8,}|AIza[0-9A-Za-z_-]{20,})\b|\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g;

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
    .replace(/(Bearer\s+)\S+/gi, "$1[redacted]");
}
