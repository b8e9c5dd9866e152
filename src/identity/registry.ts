/**
 * Lookups over the developer registry: keys, facts, model id -> developer, and every mention of a
 * developer's names in a text (longest alias first, word boundaries for Latin names).
 */
import { InputError } from "../errors.ts";
import { checkTextArgument } from "../options/library-options.ts";
import { type DeveloperRecord, developerRecords } from "./developers.ts";
import { normaliseForMatching } from "./normalize.ts";

export type { CompetingTrainingTerms, DeveloperRecord } from "./developers.ts";

/** A registry key such as "openai" or "alibaba". */
export type DeveloperKey = string;

const byKey = new Map<DeveloperKey, DeveloperRecord>(developerRecords.map((record) => [record.key, record]));

/** Every developer key, in registry order. */
export function developerKeys(): DeveloperKey[] {
  return developerRecords.map((record) => record.key);
}

export function developerRecord(key: DeveloperKey): DeveloperRecord | undefined {
  return byKey.get(key);
}

/** The first-person fact a judge is given for a developer ("I am Qwen, a model developed by Alibaba Cloud."). */
export function factFor(key: DeveloperKey): string {
  const record = byKey.get(key);
  if (record === undefined) throw new InputError(`unknown identity "${key}"`);
  return record.fact;
}

function squash(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9\u4e00-\u9fff]/g, "");
}

function editDistance(left: string, right: string): number {
  const previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let row = 1; row <= left.length; row++) {
    let diagonal = previous[0]!;
    previous[0] = row;
    for (let column = 1; column <= right.length; column++) {
      const above = previous[column]!;
      const cost = left[row - 1] === right[column - 1] ? 0 : 1;
      previous[column] = Math.min(above + 1, previous[column - 1]! + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return previous[right.length]!;
}

/**
 * Keys whose key, name or alias is close to the given text, best first; `developers` (declared by the
 * caller) are searched before the registry.
 */
export function closeDeveloperKeys(
  text: string,
  limit = 3,
  developers: readonly DeveloperRecord[] = [],
): DeveloperKey[] {
  const wanted = squash(text);
  const scored: Array<{ key: DeveloperKey; distance: number }> = [];
  for (const record of [...developers, ...developerRecords]) {
    const names = [record.key, record.displayName, ...record.organisations, ...record.products];
    let best = Number.POSITIVE_INFINITY;
    for (const name of names) {
      const candidate = squash(name);
      if (candidate.length === 0) continue;
      const distance =
        candidate === wanted || (wanted.length >= 3 && candidate.startsWith(wanted))
          ? 0
          : editDistance(wanted, candidate);
      best = Math.min(best, distance);
    }
    if (best <= Math.max(1, Math.floor(wanted.length / 3))) scored.push({ key: record.key, distance: best });
  }
  scored.sort((left, right) => left.distance - right.distance);
  return scored.slice(0, limit).map((entry) => entry.key);
}

/**
 * Checks a `--identity` value: a registry key or the key of one of `developers` (declared by the caller),
 * in any case ("Upstage" is upstage), or a model id whose developer is unambiguous
 * ("deepseek:deepseek-chat", "Qwen/Qwen2.5-7B-Instruct"). Throws InputError naming close keys otherwise.
 */
export function resolveDeveloperKey(
  value: string,
  developers: readonly DeveloperRecord[] = [],
): DeveloperKey {
  // Library callers in plain JavaScript can pass anything; a missing key must not surface as a TypeError.
  if (typeof value !== "string")
    throw new InputError(
      `identity (--identity) must be a developer key such as "alibaba" or "openai", got ${value === undefined ? "nothing" : JSON.stringify(value)}`,
    );
  const key = value.trim().toLowerCase();
  if (byKey.has(key) || developers.some((record) => record.key === key)) return key;
  if (/[:/]/.test(key)) {
    const implied = identityForModelId(value);
    if (implied !== undefined) return implied;
  }
  const close = closeDeveloperKeys(value, 3, developers);
  const declared = developers.map((record) => record.key);
  const hint =
    close.length > 0
      ? `did you mean ${close.map((candidate) => `"${candidate}"`).join(" or ")}?`
      : `known keys: ${[...declared, ...developerKeys()].join(", ")}`;
  throw new InputError(
    `identity (--identity) "${value}" is not a known developer key; ${hint} (a developer the registry does not know can be declared: --developer-name, --developer-file, or developers: in the config)`,
  );
}

function longestPrefixDeveloper(name: string): { key: DeveloperKey; prefix: string } | undefined {
  let best: { key: DeveloperKey; prefix: string } | undefined;
  for (const record of developerRecords) {
    for (const prefix of record.modelNamePrefixes) {
      if (!name.startsWith(prefix)) continue;
      const next = name.charAt(prefix.length);
      // "qwen2.5", "glm-4", "llama3.1" match; "seeding" does not match the "seed" prefix.
      if (/[a-z]/.test(next) && !/\d$/.test(prefix)) continue;
      if (best === undefined || prefix.length > best.prefix.length) best = { key: record.key, prefix };
    }
  }
  return best;
}

/** The developer a hub organisation starts with, and the longest of its names it starts with ("qwen" of "Qwen-Heron"). */
function organisationDeveloper(organisation: string): { key: DeveloperKey; matched: string } | undefined {
  const wanted = squash(organisation);
  if (wanted.length < 2) return undefined;
  for (const record of developerRecords) {
    let matched = "";
    for (const name of [record.key, ...record.organisations, ...record.modelNamePrefixes].map(squash))
      if (name.length >= 2 && name.length > matched.length && wanted.startsWith(name)) matched = name;
    if (matched !== "") return { key: record.key, matched };
  }
  return undefined;
}

/** The parts of a model id that name its developer: provider, hub organisations, model name (lower case). */
export interface ModelIdParts {
  provider: string | undefined;
  /** Hub organisations before the model name, nearest first ("meta-llama" of "meta-llama/Llama-3.1-8B"). */
  organisations: string[];
  /** The model name, lower case, without the paper's "gpt_" file prefix. */
  name: string;
}

/** Splits `provider:org/model`, `replay:dir#model`, hub names and plain names into ModelIdParts. */
export function modelIdParts(id: string): ModelIdParts {
  let rest = id.trim();
  let provider: string | undefined;
  const providerMatch = /^([a-z][a-z0-9_-]*):(?!\/\/)(.*)$/i.exec(rest);
  if (providerMatch) {
    provider = providerMatch[1]!.toLowerCase();
    rest = providerMatch[2]!;
  }
  const hash = rest.lastIndexOf("#");
  if (hash >= 0) rest = rest.slice(hash + 1);
  let segments = rest.split("/").filter((segment) => segment.length > 0);
  // `replay:<path>` without `#<model>`: the folders on the path are not hub organisations
  // (replay:/data/qwen-evals/answers.jsonl says nothing about Qwen); only the file or folder name is kept.
  if (provider === "replay" && hash < 0) segments = segments.slice(-1);
  const name = (segments.at(-1) ?? "").toLowerCase().replace(/^(?:gpt_|accounts|models)[_-]?/, "");
  return { provider, organisations: segments.slice(0, -1).reverse(), name };
}

/**
 * How the registry tells a model id's developer: the model name's first word (`words` is that prefix),
 * a hub organisation (`words` is the organisation), or a provider that serves one developer's models.
 */
export interface RegistryModelIdMatch {
  key: DeveloperKey;
  via: "name" | "organisation" | "provider";
  words: string;
  /**
   * How many letters and digits at the start of the model name or organisation the registry's name
   * covers ("qwen" of "Qwen-Heron" is 4, not the whole organisation); 0 for a provider.
   */
  matchedLength: number;
}

/** identityForModelId with where the registry found the developer; undefined when it does not. */
export function registryMatchForModelId(id: string): RegistryModelIdMatch | undefined {
  const { provider, organisations, name } = modelIdParts(id);
  const fromName = longestPrefixDeveloper(name);
  if (fromName !== undefined)
    return {
      key: fromName.key,
      via: "name",
      words: fromName.prefix,
      matchedLength: squash(fromName.prefix).length,
    };
  for (const organisation of organisations) {
    const fromOrganisation = organisationDeveloper(organisation);
    if (fromOrganisation !== undefined)
      return {
        key: fromOrganisation.key,
        via: "organisation",
        words: organisation,
        matchedLength: fromOrganisation.matched.length,
      };
  }
  if (provider !== undefined) {
    for (const record of developerRecords)
      if (record.providers?.includes(provider))
        return { key: record.key, via: "provider", words: provider, matchedLength: 0 };
  }
  return undefined;
}

/**
 * The developer a model id implies, or undefined when it is ambiguous. Works on `provider:model`
 * ids ("deepseek:deepseek-chat"), hub names ("meta-llama/Llama-3.1-8B-Instruct") and plain model
 * names ("glm-4-plus", "qwen2.5-72b-instruct", "claude-3-5-sonnet-20241022"): the model name's first
 * word decides, then the hub organisation, then a provider that only serves one developer's models.
 * Registry developers only; src/identity/model-id-identity.ts adds declared ones.
 */
export function identityForModelId(id: string): DeveloperKey | undefined {
  checkTextArgument(id, "identityForModelId: id", '"openai:gpt-4o"');
  return registryMatchForModelId(id)?.key;
}

/** A developer named in a text. Offsets are in the text given to `findDeveloperMentions`. */
export interface DeveloperMention {
  developer: DeveloperKey;
  words: string;
  start: number;
  end: number;
  /** True for a company or lab name, false for a model or product name. */
  organisation: boolean;
}

interface AliasEntry {
  developer: DeveloperKey;
  organisation: boolean;
}

interface AliasMatcher extends AliasEntry {
  /** Sticky pattern tried at a word start. */
  pattern: RegExp;
  length: number;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function aliasBody(alias: string): string {
  const body = escapeRegExp(alias).replace(/[ -]/g, "[\\s_-]?");
  const right = /[A-Za-z]$/.test(alias) ? "(?![A-Za-z])" : /[0-9]$/.test(alias) ? "(?![0-9])" : "";
  return body + right;
}

/**
 * Latin-script aliases are indexed by their first word (lower case) and verified with a sticky pattern
 * at each word start of the text; aliases that start with a Han character share one alternation.
 * Much faster than one big alternation with look-behinds over every position.
 */
interface Matchers {
  byFirstWord: Map<string, AliasMatcher[]>;
  /** Undefined when no alias starts with a Han character. */
  han: RegExp | undefined;
  hanLookup: Map<string, AliasEntry>;
}

function buildMatchers(records: readonly DeveloperRecord[]): Matchers {
  const byFirstWord = new Map<string, AliasMatcher[]>();
  const hanLookup = new Map<string, AliasEntry>();
  const add = (alias: string, entry: AliasEntry, caseSensitive: boolean): void => {
    const first = /^[A-Za-z0-9]+/.exec(alias)?.[0].toLowerCase();
    if (first === undefined) {
      hanLookup.set(alias.toLowerCase(), entry);
      return;
    }
    const matcher: AliasMatcher = {
      ...entry,
      pattern: new RegExp(aliasBody(alias), caseSensitive ? "y" : "iy"),
      length: alias.length,
    };
    const list = byFirstWord.get(first) ?? [];
    list.push(matcher);
    list.sort((left, right) => right.length - left.length);
    byFirstWord.set(first, list);
  };
  for (const record of records) {
    for (const name of record.organisations) add(name, { developer: record.key, organisation: true }, false);
    for (const name of record.products) add(name, { developer: record.key, organisation: false }, false);
    for (const name of record.caseSensitiveAliases ?? [])
      add(name, { developer: record.key, organisation: false }, true);
  }
  const hanAliases = [...hanLookup.keys()].sort((left, right) => right.length - left.length);
  const han = hanAliases.length === 0 ? undefined : new RegExp(hanAliases.map(aliasBody).join("|"), "gi");
  return { byFirstWord, han, hanLookup };
}

const registryMatchers = buildMatchers(developerRecords);
/** Matchers of caller-declared developers (custom-developers.ts), built once per list. */
const declaredMatchers = new WeakMap<readonly DeveloperRecord[], Matchers>();

function matchersOf(developers: readonly DeveloperRecord[]): Matchers {
  let built = declaredMatchers.get(developers);
  if (built === undefined) {
    built = buildMatchers(developers);
    declaredMatchers.set(developers, built);
  }
  return built;
}
const latinWord = /[A-Za-z0-9]+/g;
const hanPresent = /[\u4e00-\u9fff]/;

function collectMentions(text: string, matchers: Matchers, found: DeveloperMention[]): void {
  latinWord.lastIndex = 0;
  for (let match = latinWord.exec(text); match !== null; match = latinWord.exec(text)) {
    const word = match[0].toLowerCase();
    const letters = /^[a-z]+/.exec(word)?.[0];
    const candidates =
      matchers.byFirstWord.get(word) ??
      (letters === undefined ? undefined : matchers.byFirstWord.get(letters));
    if (candidates === undefined) continue;
    for (const candidate of candidates) {
      candidate.pattern.lastIndex = match.index;
      const hit = candidate.pattern.exec(text);
      if (hit === null) continue;
      const end = match.index + hit[0].length;
      found.push({
        developer: candidate.developer,
        words: hit[0],
        start: match.index,
        end,
        organisation: candidate.organisation,
      });
      latinWord.lastIndex = Math.max(latinWord.lastIndex, end);
      break;
    }
  }
  if (matchers.han !== undefined && hanPresent.test(text)) {
    matchers.han.lastIndex = 0;
    for (const match of text.matchAll(matchers.han)) {
      const entry = matchers.hanLookup.get(match[0].toLowerCase());
      if (entry === undefined) continue;
      found.push({ ...entry, words: match[0], start: match.index, end: match.index + match[0].length });
    }
  }
}

/**
 * Every mention of a developer's company, lab, model or product name in `text` (already normalised
 * with normaliseForMatching), in text order, longest match first and no overlaps. `developers` are
 * caller-declared developers (see custom-developers.ts) matched beside the registry; where one of
 * their names overlaps a registry name ("Acme-GPT" and "GPT"), the longer mention wins.
 */
export function findDeveloperMentions(
  text: string,
  developers: readonly DeveloperRecord[] = [],
): DeveloperMention[] {
  const found: DeveloperMention[] = [];
  collectMentions(text, registryMatchers, found);
  if (developers.length > 0) collectMentions(text, matchersOf(developers), found);
  found.sort((left, right) => left.start - right.start || right.end - left.end);
  const kept: DeveloperMention[] = [];
  for (const mention of found) {
    const last = kept.at(-1);
    if (last !== undefined && mention.start < last.end) continue;
    kept.push(mention);
  }
  return kept;
}

/** Developers named anywhere in a text (a template, a question): used to tell neutral prompts apart. */
export function developersNamedIn(
  text: string,
  developers: readonly DeveloperRecord[] = [],
): Set<DeveloperKey> {
  return new Set(
    findDeveloperMentions(normaliseForMatching(text).text, developers).map((mention) => mention.developer),
  );
}
