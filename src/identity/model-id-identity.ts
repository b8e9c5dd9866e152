/**
 * The developer a model id implies among the registry AND the developers a caller declared
 * (custom-developers.ts): `openai:acme-7b` is acme's when a declaration names "acme-7b", "Acme" or
 * "acme". When both a registry and a declared developer match, the more specific match wins (its words
 * contain the other's, or the other is only the provider); otherwise the answer is "ambiguous" and the
 * caller asks for the identity instead of guessing. See docs/design/identity-judge.md ("Declared
 * developers").
 */
import { checkTextArgument } from "../options/library-options.ts";
import { type DeveloperInput, developersFrom } from "./custom-developers.ts";
import type { DeveloperRecord } from "./developers.ts";
import { type DeveloperKey, modelIdParts, registryMatchForModelId } from "./registry.ts";

/** One developer a model id names, and how. */
export interface ModelIdDeveloperMatch {
  key: DeveloperKey;
  /** True for a developer the caller declared, false for a registry developer. */
  declared: boolean;
  /** Where in the id: the model name, a hub organisation, or (registry only) the provider. */
  via: "name" | "organisation" | "provider";
  /** What matched: the registry's model-name prefix, organisation or provider, or the declared name as written. */
  words: string;
}

export type ModelIdIdentity =
  | { kind: "found"; match: ModelIdDeveloperMatch }
  | { kind: "none" }
  /** Several developers match and none is more specific; `matches` lists each once, registry first. */
  | { kind: "ambiguous"; matches: ModelIdDeveloperMatch[] };

/** A match with where it sits: segment 0 is the model name, 1.. the organisations, nearest first. */
interface PlacedMatch extends ModelIdDeveloperMatch {
  segment: number;
  start: number;
  end: number;
}

/** Lower-case letters and digits of any script: "Acme-Bot" and "acmebot" are one name. */
function squash(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
}

/** A segment squashed, with the positions where each of its separator-delimited parts starts. */
function squashedParts(segment: string): { text: string; starts: Set<number> } {
  let text = "";
  const starts = new Set<number>();
  for (const part of segment.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (part.length === 0) continue;
    starts.add(text.length);
    text += part;
  }
  return { text, starts };
}

/**
 * Where `name` (squashed) occurs in the segment starting at a part start and ending at a word end: the
 * segment's end, the next part, or a digit ("acme7b" holds "acme"; "acmetron" does not).
 */
function occurrence(
  segment: { text: string; starts: Set<number> },
  name: string,
): { start: number; end: number } | undefined {
  if (name.length < 2) return undefined;
  for (const start of segment.starts) {
    if (!segment.text.startsWith(name, start)) continue;
    const end = start + name.length;
    const next = segment.text.charAt(end);
    if (
      end === segment.text.length ||
      segment.starts.has(end) ||
      !/\p{L}/u.test(next) ||
      /\p{N}$/u.test(name)
    )
      return { start, end };
  }
  return undefined;
}

/** The longest of a declared developer's names (key, name, aliases, models) found in the id, name first. */
function declaredMatch(record: DeveloperRecord, segments: string[]): PlacedMatch | undefined {
  const names = [record.key, record.displayName, ...record.organisations, ...record.products];
  let best: PlacedMatch | undefined;
  segments.forEach((segment, index) => {
    if (best !== undefined) return;
    const parts = squashedParts(segment);
    for (const words of names) {
      const found = occurrence(parts, squash(words));
      if (found === undefined) continue;
      if (best === undefined || found.end - found.start > best.end - best.start)
        best = {
          key: record.key,
          declared: true,
          via: index === 0 ? "name" : "organisation",
          words,
          segment: index,
          ...found,
        };
    }
  });
  return best;
}

/** Whether `wider` is clearly more specific than `other`: its words hold the other's, or the other is the provider. */
function holds(wider: PlacedMatch, other: PlacedMatch): boolean {
  if (other.via === "provider") return wider.via !== "provider";
  return (
    wider.segment === other.segment &&
    wider.start <= other.start &&
    wider.end >= other.end &&
    wider.end - wider.start > other.end - other.start
  );
}

function unplaced(match: PlacedMatch): ModelIdDeveloperMatch {
  return { key: match.key, declared: match.declared, via: match.via, words: match.words };
}

/**
 * The developer of a model id among the registry and `developers` (declarations `{ key, name, aliases?,
 * models? }` or the records declareDevelopers returns): "found" with how it matched, "none", or
 * "ambiguous" with every candidate. An InputError names a wrong argument or declaration.
 */
export function identityFromModelId(id: string, developers: readonly DeveloperInput[] = []): ModelIdIdentity {
  checkTextArgument(id, "identityFromModelId: id", '"openai:acme-7b"');
  const declared = developersFrom(developers, "identityFromModelId: developers");
  const { organisations, name } = modelIdParts(id);
  const segments = [name, ...organisations];
  const matches: PlacedMatch[] = [];
  const registry = registryMatchForModelId(id);
  if (registry !== undefined) {
    const { matchedLength, ...match } = registry;
    const segment = registry.via === "organisation" ? 1 + organisations.indexOf(registry.words) : 0;
    matches.push({ ...match, declared: false, segment, start: 0, end: matchedLength });
  }
  for (const record of declared) {
    const match = declaredMatch(record, segments);
    if (match !== undefined) matches.push(match);
  }
  if (matches.length === 0) return { kind: "none" };
  const winner = matches.find((candidate) =>
    matches.every((other) => other === candidate || holds(candidate, other)),
  );
  if (winner !== undefined) return { kind: "found", match: unplaced(winner) };
  return { kind: "ambiguous", matches: matches.map(unplaced) };
}

/**
 * `acme ("AcmeBot", declared in acme.yaml)` or `alibaba ("qwen", registry)`, for messages; `declaredWhere`
 * says where declared developers come from ("declared in acme.yaml").
 */
export function describeMatch(match: ModelIdDeveloperMatch, declaredWhere: string): string {
  const words = match.via === "provider" ? `provider ${match.words}` : `"${match.words}"`;
  return `${match.key} (${words}, ${match.declared ? declaredWhere : "registry"})`;
}

/**
 * `the target id "x" names 2 developers: a (...) and b (...), neither more specific than the other`;
 * `subject` says what the id is ("the target id", "the file name").
 */
export function ambiguityMessage(
  id: string,
  matches: readonly ModelIdDeveloperMatch[],
  declaredWhere: string,
  subject = "the target id",
): string {
  const described = matches.map((match) => describeMatch(match, declaredWhere));
  const listed = `${described.slice(0, -1).join(", ")} and ${described.at(-1)}`;
  return `${subject} "${id}" names ${matches.length} developers: ${listed}, neither more specific than the other`;
}

/**
 * The line that says how an identity nobody gave was found:
 * `identity: acme (from the target id: "AcmeBot", declared in acme.yaml)`.
 */
export function inferenceNote(
  match: ModelIdDeveloperMatch,
  declaredWhere: string,
  subject = "the target id",
): string {
  const words = match.via === "provider" ? `the provider ${match.words}` : `"${match.words}"`;
  return `identity: ${match.key} (from ${subject}: ${words}, ${match.declared ? declaredWhere : "a registry developer"})`;
}

/**
 * The developer key an error message offers as an example when a model id names nobody: an Azure OpenAI
 * deployment (`azure:<deployment>`) usually serves an OpenAI model, so `openai`; anything else gets a
 * neutral example. Only an example: the message always says to give the real developer.
 */
export function exampleIdentityFor(modelId: string): DeveloperKey {
  return modelId.trim().toLowerCase().startsWith("azure:") ? "openai" : "deepseek";
}
