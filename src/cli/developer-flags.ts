/**
 * `--developer-name/--developer-alias/--developer-model` (one developer declared on the command line)
 * and `--developer-file` (developers written in YAML, as under `developers:` in distillscope.yaml), shared
 * by `ice run` and `ice judge`. Returns the declarations and the identity they imply.
 */
import { basename } from "node:path";
import type { Command } from "commander";
import { InputError } from "../errors.ts";
import {
  type DeveloperDeclaration,
  declarationProblems,
  declareDevelopers,
} from "../identity/custom-developers.ts";
import type { DeveloperRecord } from "../identity/registry.ts";

export interface DeveloperFlags {
  identity?: string;
  developerName?: string;
  developerAlias?: string[];
  developerModel?: string[];
  developerFile?: string;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Adds the developer flags to a command. */
export function addDeveloperOptions(command: Command): Command {
  return command
    .option(
      "--developer-name <name>",
      'declare the target\'s developer when the registry does not know it, e.g. "Acme AI" (key: --identity, or made from the name)',
    )
    .option("--developer-alias <name>", "another name of that developer (repeatable)", collect)
    .option(
      "--developer-model <name>",
      "a model or assistant name of that developer, e.g. AcmeBot (repeatable)",
      collect,
    )
    .option(
      "--developer-file <file>",
      "YAML declaring developers the registry does not know (key, name, aliases, models), as under developers: in distillscope.yaml, or distillscope.yaml itself; their names count when the target id is read for its developer",
    );
}

/** `acme-ai` from "Acme AI"; empty when the name has no Latin letters or digits. */
function keyFromName(name: string): string {
  return name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

const flagOfField: Record<string, string> = {
  key: "--identity",
  name: "--developer-name",
  aliases: "--developer-alias",
  models: "--developer-model",
};

/** The one developer the name, alias and model flags declare, checked with the flags named in errors. */
function declaredOnCommandLine(flags: DeveloperFlags): DeveloperDeclaration | undefined {
  const { developerName: name, developerAlias: aliases = [], developerModel: models = [] } = flags;
  if (name === undefined) {
    if (aliases.length > 0 || models.length > 0)
      throw new InputError(
        `--developer-${aliases.length > 0 ? "alias" : "model"} needs --developer-name (the developer it belongs to), e.g. --developer-name "Acme AI"`,
      );
    return undefined;
  }
  const key = flags.identity?.trim().toLowerCase() ?? keyFromName(name);
  if (key === "")
    throw new InputError(
      `--developer-name "${name}" gives no key to use: add --identity with a short Latin key, e.g. --identity acme`,
    );
  const declaration: DeveloperDeclaration = { key, name, aliases, models };
  const problem = declarationProblems([declaration])[0];
  if (problem !== undefined) {
    const [, field, position] = problem.path;
    const written =
      field === "aliases" ? aliases[position ?? 0] : field === "models" ? models[position ?? 0] : undefined;
    throw new InputError(
      `${flagOfField[field] ?? field}${written === undefined ? "" : ` "${written}"`}: ${problem.message}`,
    );
  }
  return declaration;
}

/** What the developer flags say: the declared developers, and the identity when the flags settle it. */
export interface DeclaredDevelopers {
  developers: DeveloperRecord[];
  /** `--identity`, else the key of `--developer-name`: the identity as the user gave it. */
  identity: string | undefined;
  /** The key of a `--developer-file` that declares one developer: the identity when the target id names no one. */
  onlyDeclared?: string;
  /** Where the developers were declared, for messages: the developer file's name, or where they came from. */
  declaredIn: string;
}

/**
 * The developers the flags declare (records, checked), the identity they settle (`--identity`, else the
 * developer of `--developer-name`) and the only developer of a one-developer `--developer-file` (which
 * the command uses when the target id names no developer, see target-identity.ts). `recorded`:
 * declarations a judged result carries (its `source.developer`), used unless the flags declare the same key.
 */
export async function developersFromFlags(
  flags: DeveloperFlags,
  recorded: readonly DeveloperDeclaration[] = [],
): Promise<DeclaredDevelopers> {
  const onCommandLine = declaredOnCommandLine(flags);
  let fromFile: DeveloperDeclaration[] = [];
  let fileIsConfig = false;
  if (flags.developerFile !== undefined) {
    const { readDeveloperFile } = await import("../config/developer-file.ts");
    const file = readDeveloperFile(flags.developerFile);
    fromFile = file.declarations;
    fileIsConfig = file.wholeConfig;
  }
  const given = [...fromFile, ...(onCommandLine === undefined ? [] : [onCommandLine])];
  const givenKeys = new Set(given.map((declaration) => declaration.key.trim().toLowerCase()));
  const kept = recorded.filter((declaration) => !givenKeys.has(String(declaration.key).trim().toLowerCase()));
  const declarations = [...kept, ...given];
  const developers = declareDevelopers(
    declarations,
    given.length === 0
      ? "the result's source.developer"
      : onCommandLine === undefined
        ? "--developer-file developers"
        : "developers (--developer-file and --developer-name)",
  );
  const identity = flags.identity ?? onCommandLine?.key;
  // A developer file with one developer names the model's developer; distillscope.yaml's developers: list
  // only extends the registry (as it does for `audit`), so it implies nothing.
  const onlyDeclared =
    fromFile.length === 1 && !fileIsConfig ? fromFile[0]!.key.trim().toLowerCase() : undefined;
  const declaredIn =
    flags.developerFile !== undefined
      ? basename(flags.developerFile)
      : onCommandLine !== undefined
        ? "--developer-name"
        : "the result's source.developer";
  return { developers, identity, ...(onlyDeclared === undefined ? {} : { onlyDeclared }), declaredIn };
}
