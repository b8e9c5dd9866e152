/**
 * The API keys this process has handed to model adapters, kept in memory only, so that an answer in
 * which an endpoint reflects the key (a debugging proxy echoing request headers, a hostile server) is
 * stored and exported with the key replaced by a marker. Answers are evidence, but the key is never
 * legitimate content of one. Short values (a local server's placeholder key such as "EMPTY" or
 * "lm-studio") are not keys worth hiding and could be ordinary words, so they are left alone.
 */
const keys = new Set<string>();

/** Keys shorter than this are not redacted from answers (real provider keys are 20+ characters). */
export const minimumRedactedKeyLength = 16;

/** What a reflected key becomes in an answer. */
export const redactedKeyMarker = "[redacted key]";

/** Notes a key read from the environment (models/registry.ts calls it for every key it uses). */
export function rememberKey(key: string): void {
  if (key.length >= minimumRedactedKeyLength) keys.add(key);
}

/** The text with every remembered key replaced by the marker. */
export function redactKnownKeys(text: string): string {
  let redacted = text;
  for (const key of keys) if (redacted.includes(key)) redacted = redacted.split(key).join(redactedKeyMarker);
  return redacted;
}

/**
 * Notes the keys of the environment's key variables (names ending in _API_KEY, _KEY or _TOKEN), for a
 * command that writes stored answers without calling a model (`transcripts export`): answers stored before
 * redaction existed, or under another key variable, are still written without the user's keys.
 */
export function rememberEnvironmentKeys(environment: NodeJS.ProcessEnv): void {
  for (const [name, value] of Object.entries(environment))
    if (/_(?:API_KEY|KEY|TOKEN)$/i.test(name) && value !== undefined) {
      const key = value.trim();
      if (!/\s/.test(key)) rememberKey(key);
    }
}
