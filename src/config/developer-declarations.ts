/**
 * Declared developers as the config and developer files write them (kebab-case keys) -> the library's
 * DeveloperDeclaration, and their problems located at `developers[i].field` paths.
 */
import { type DeveloperDeclaration, declarationProblems } from "../identity/custom-developers.ts";
import type { FieldPath } from "./locate.ts";
import type { DeveloperConfig } from "./schema.ts";

/** The library declarations of the `developers` entries. */
export function declarationsOf(entries: readonly DeveloperConfig[]): DeveloperDeclaration[] {
  return entries.map((entry) => ({
    key: entry.key,
    name: entry.name,
    aliases: entry.aliases,
    models: entry.models,
    caseSensitiveAliases: entry["case-sensitive-aliases"],
    ...(entry.fact === undefined ? {} : { fact: entry.fact }),
  }));
}

/** Every declaration problem (registry collisions, duplicates, generic names) with its config path. */
export function developerEntryProblems(
  entries: readonly DeveloperConfig[],
): Array<{ path: FieldPath; message: string }> {
  return declarationProblems(declarationsOf(entries)).map(({ path: [index, field, position], message }) => {
    const written = field === "caseSensitiveAliases" ? "case-sensitive-aliases" : field;
    const path: FieldPath =
      position === undefined ? ["developers", index, written] : ["developers", index, written, position];
    return { path, message };
  });
}
