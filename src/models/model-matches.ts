/**
 * Whether a recorded model id (`openai:gpt-4o-mini`) is the one a user named: the whole id, or only the
 * model name without its provider (`gpt-4o-mini`). One rule for `replay:<file>#<model>` and
 * `transcripts export --model`, so a name that works in one works in the other.
 */
export function modelMatches(recorded: string, wanted: string): boolean {
  return recorded === wanted || recorded.endsWith(`:${wanted}`);
}
