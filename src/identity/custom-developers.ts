/**
 * Developers a caller declares beside the registry (a lab whose model the registry does not know):
 * checked, then turned into registry-shaped records that the claim analyser matches like built-in ones.
 * A declared name that is also a registry name is refused: a claim of it could not say whose it is.
 * See docs/design/identity-judge.md ("Declared developers").
 */
import { InputError } from "../errors.ts";
import { type DeveloperRecord, developerRecords } from "./developers.ts";

/** One developer as a config file, a developer file or the CLI flags declare it. */
export interface DeveloperDeclaration {
  /** Lower-case key used by `identity` / `--identity` (any case is accepted and lower-cased). */
  key: string;
  /** How reports and the LLM judge name the developer ("Acme AI"); also matched in answers. */
  name: string;
  /** Other names of the company or lab, in any language ("Acme", "Acme Labs", "艾克米"). */
  aliases?: string[];
  /** Model families, assistants and products ("AcmeBot", "Acme-7B"). */
  models?: string[];
  /** Names that are also ordinary words, matched only with the capitalisation written. */
  caseSensitiveAliases?: string[];
  /** The first-person fact an LLM judge is told (default: "I am <model>, a model developed by <name>."). */
  fact?: string;
}

/** Where a problem sits inside the declarations: `[index, field, position?]`. */
export type DeclarationPath =
  | [number, keyof DeveloperDeclaration]
  | [number, keyof DeveloperDeclaration, number];

export interface DeclarationProblem {
  path: DeclarationPath;
  message: string;
}

const keyPattern = /^[a-z0-9][a-z0-9_-]*$/;
/** Words that name no one: as a developer's name they would turn every "I am an AI" into a claim. */
const genericNames = new Set([
  "ai",
  "an",
  "the",
  "model",
  "models",
  "assistant",
  "chatbot",
  "bot",
  "llm",
  "languagemodel",
  "ailanguagemodel",
  "aiassistant",
  "unregistered",
]);

/** Lower-case letters, digits and Han characters only: "GPT-4" and "gpt 4" are the same name. */
function squash(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
}

/** Every registry name (keys, display names, company and product names), squashed -> developer key. */
const registryNames: ReadonlyMap<string, string> = (() => {
  const names = new Map<string, string>();
  for (const record of developerRecords) {
    for (const name of [
      record.key,
      record.displayName,
      ...record.organisations,
      ...record.products,
      ...(record.caseSensitiveAliases ?? []),
    ]) {
      const squashed = squash(name);
      if (squashed.length > 0 && !names.has(squashed)) names.set(squashed, record.key);
    }
  }
  return names;
})();

const registryKeys = new Set(developerRecords.map((record) => record.key));

function namesOf(
  declaration: DeveloperDeclaration,
): Array<{ field: keyof DeveloperDeclaration; position?: number; name: string }> {
  const listed = (field: "aliases" | "models" | "caseSensitiveAliases") =>
    (declaration[field] ?? []).map((name, position) => ({ field, position, name }));
  return [
    { field: "name", name: declaration.name },
    ...listed("aliases"),
    ...listed("models"),
    ...listed("caseSensitiveAliases"),
  ];
}

function shown(value: unknown): string {
  return typeof value === "string" ? `"${value}"` : value === undefined ? "nothing" : JSON.stringify(value);
}

/** Every problem of a list of declarations (shape already checked, e.g. by the config's zod schema). */
export function declarationProblems(declarations: readonly DeveloperDeclaration[]): DeclarationProblem[] {
  const problems: DeclarationProblem[] = [];
  const declaredKeys = new Map<string, number>();
  const declaredNames = new Map<string, { index: number; name: string }>();
  declarations.forEach((declaration, index) => {
    const key = typeof declaration.key === "string" ? declaration.key.trim().toLowerCase() : "";
    if (!keyPattern.test(key)) {
      problems.push({
        path: [index, "key"],
        message: `a developer key is letters, digits, - and _ (e.g. "acme"), got ${shown(declaration.key)}`,
      });
    } else if (registryKeys.has(key)) {
      problems.push({
        path: [index, "key"],
        message: `"${key}" is already a registry developer: use identity "${key}" without declaring it, or choose another key`,
      });
    } else if (key === "unregistered") {
      problems.push({ path: [index, "key"], message: `"unregistered" is reserved; choose another key` });
    } else if (declaredKeys.has(key)) {
      problems.push({
        path: [index, "key"],
        message: `developer key "${key}" is declared twice (also developers[${declaredKeys.get(key)}])`,
      });
    } else {
      declaredKeys.set(key, index);
    }
    if (declaration.fact !== undefined && typeof declaration.fact !== "string")
      problems.push({
        path: [index, "fact"],
        message: `expected a sentence (text), got ${shown(declaration.fact)}`,
      });
    for (const { field, position, name } of namesOf(declaration)) {
      const path: DeclarationPath = position === undefined ? [index, field] : [index, field, position];
      if (typeof name !== "string") {
        problems.push({ path, message: `expected a name (text), got ${shown(name)}` });
        continue;
      }
      const squashed = squash(name);
      if (squashed.length < 2) {
        problems.push({
          path,
          message: `${shown(name)} is too short to recognise in answers (2 letters or more)`,
        });
        continue;
      }
      if (genericNames.has(squashed)) {
        problems.push({
          path,
          message: `${shown(name)} names no one in particular (every "I am an AI" would match it); give the developer's own name`,
        });
        continue;
      }
      const owner = registryNames.get(squashed);
      if (owner !== undefined) {
        problems.push({
          path,
          message: `${shown(name)} is already a name of the registry developer "${owner}": a claim of it could not tell the two apart; remove it (or, if the model is ${owner}'s, use identity "${owner}")`,
        });
        continue;
      }
      const earlier = declaredNames.get(squashed);
      if (earlier !== undefined && earlier.index !== index) {
        problems.push({
          path,
          message: `${shown(name)} is also a name of developers[${earlier.index}]; each name can belong to one developer only`,
        });
        continue;
      }
      declaredNames.set(squashed, { index, name });
    }
  });
  return problems;
}

/** `developers[0].aliases[1]` for a problem path. */
export function declarationField(path: DeclarationPath, list = "developers"): string {
  const [index, field, position] = path;
  const written = field === "caseSensitiveAliases" ? "case-sensitive-aliases" : field;
  return `${list}[${index}].${written}${position === undefined ? "" : `[${position}]`}`;
}

/** Records made by declareDevelopers (checked), so that passing them on costs no second check. */
const checkedRecords = new WeakSet<DeveloperRecord>();
const checkedLists = new WeakMap<readonly DeveloperInput[], readonly DeveloperRecord[]>();

/** The registry-shaped record of a declaration that passed declarationProblems. */
export function developerRecordOf(declaration: DeveloperDeclaration): DeveloperRecord {
  const name = declaration.name.trim();
  const models = (declaration.models ?? []).map((model) => model.trim());
  const record: DeveloperRecord = {
    key: declaration.key.trim().toLowerCase(),
    displayName: name,
    organisations: [name, ...(declaration.aliases ?? []).map((alias) => alias.trim())],
    products: models,
    caseSensitiveAliases: (declaration.caseSensitiveAliases ?? []).map((alias) => alias.trim()),
    modelNamePrefixes: [],
    fact:
      declaration.fact?.trim() ||
      (models[0] === undefined
        ? `I am a model developed by ${name}.`
        : `I am ${models[0]}, a model developed by ${name}.`),
  };
  checkedRecords.add(record);
  return record;
}

/** What library options accept: declarations, or the records declareDevelopers returned. */
export type DeveloperInput = DeveloperDeclaration | DeveloperRecord;

function isRecord(item: DeveloperInput): item is DeveloperRecord {
  return typeof item === "object" && item !== null && "displayName" in item;
}

function declarationOf(item: DeveloperInput): DeveloperDeclaration {
  if (!isRecord(item)) return item;
  const [, ...aliases] = item.organisations ?? [];
  return {
    key: item.key,
    name: item.displayName,
    aliases,
    models: item.products ?? [],
    caseSensitiveAliases: item.caseSensitiveAliases ?? [],
    ...(typeof item.fact === "string" ? { fact: item.fact } : {}),
  };
}

/**
 * The checked records of a library option's `developers` (declarations or records, any mix); the same
 * list given again is not checked again, so per-answer calls stay cheap. An InputError names the problem.
 */
export function developersFrom(
  list: readonly DeveloperInput[] | undefined,
  label = "developers",
): readonly DeveloperRecord[] {
  if (list === undefined) return [];
  if (!Array.isArray(list))
    throw new InputError(`${label} must be a list of { key, name, aliases?, models? } objects`);
  const cached = checkedLists.get(list);
  if (cached !== undefined) return cached;
  const records = list.every((item) => isRecord(item) && checkedRecords.has(item))
    ? (list as readonly DeveloperRecord[])
    : declareDevelopers(list.map(declarationOf), label);
  checkedLists.set(list, records);
  checkedLists.set(records, records);
  return records;
}

/**
 * Checks declarations from a library caller or the CLI and returns their records; the first problem is
 * an InputError (exit 2) naming the field, `label` saying where the declarations came from.
 */
export function declareDevelopers(
  declarations: readonly DeveloperDeclaration[],
  label = "declareDevelopers: developers",
): DeveloperRecord[] {
  if (!Array.isArray(declarations))
    throw new InputError(`${label} must be a list of { key, name, aliases?, models? } objects`);
  declarations.forEach((declaration, index) => {
    if (declaration === null || typeof declaration !== "object")
      throw new InputError(`${label}[${index}] must be an object { key, name, aliases?, models? }`);
    for (const field of ["aliases", "models", "caseSensitiveAliases"] as const) {
      if (declaration[field] !== undefined && !Array.isArray(declaration[field]))
        throw new InputError(`${label}[${index}].${field} must be a list of names`);
    }
  });
  const [first, ...rest] = declarationProblems(declarations);
  if (first !== undefined) {
    const more = rest.length > 0 ? ` [${rest.length} more problem(s) after this one]` : "";
    throw new InputError(`${declarationField(first.path, label)}: ${first.message}${more}`);
  }
  return declarations.map(developerRecordOf);
}

/**
 * The declared developer the result was judged against, for the result's `source`: a reader sees which
 * names counted as the model's own, and `ice judge --format ice-result` declares it again from there.
 * Nothing for a registry identity.
 */
export function declaredIdentitySource(
  identity: string,
  developers: readonly DeveloperRecord[],
): { developer?: Required<DeveloperDeclaration> } {
  const record = developers.find((declared) => declared.key === identity);
  if (record === undefined) return {};
  const declaration = declarationOf(record);
  return {
    developer: {
      key: declaration.key,
      name: declaration.name,
      aliases: declaration.aliases ?? [],
      models: declaration.models ?? [],
      caseSensitiveAliases: declaration.caseSensitiveAliases ?? [],
      fact: record.fact,
    },
  };
}
