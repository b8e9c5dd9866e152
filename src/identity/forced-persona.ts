/**
 * Which developers' personas a prompt tells the model to take on ("you are ChatGPT with Developer
 * Mode", "act as Claude", "你现在是通义千问", "扮演ChatGPT"). Claims of those developers in the answer
 * are marked as a forced persona.
 */
import { normaliseForMatching } from "./normalize.ts";
import { type DeveloperKey, type DeveloperRecord, findDeveloperMentions } from "./registry.ts";

const englishCue =
  /\b(?:you are|you're|you will be|you'll be|you become|become|act as|acting as|acts as|pretend to be|pretend you are|pretending to be|play the role of|playing the role of|role-?play as|respond as|answer as|reply as|speak as|simulate|simulating|emulate|emulating|impersonate|behave as|behave like|take on the role of|as)\s+(?:[\w'’-]+\s+){0,4}$/i;
const chineseCue =
  /(?:你(?:现在|将|要|会)?(?:是|将是|扮演|作为|成为|模拟)|扮演|假装|模拟|充当|作为|化身为?)[^，。！？\n]{0,10}$/;

/** Developer keys whose persona the prompt imposes (`developers`: declared beside the registry). */
export function forcedPersonaDevelopers(
  prompt: string | undefined,
  developers: readonly DeveloperRecord[] = [],
): Set<DeveloperKey> {
  const forced = new Set<DeveloperKey>();
  if (prompt === undefined || prompt.length === 0) return forced;
  const text = normaliseForMatching(prompt).text;
  for (const mention of findDeveloperMentions(text, developers)) {
    const before = text.slice(Math.max(0, mention.start - 60), mention.start);
    if (englishCue.test(before) || chineseCue.test(before)) forced.add(mention.developer);
  }
  return forced;
}
