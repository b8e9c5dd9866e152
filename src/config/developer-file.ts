/**
 * Reads a developer file (`--developer-file dev.yaml`): one developer as a mapping (key, name, aliases,
 * models...), a `developers:` list written as in distillscope.yaml, or distillscope.yaml itself (its
 * `developers:` list only). Every problem is ONE line
 * `file:line: field: what is wrong (and the fix)` in an InputError (exit 2).
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { type Document, LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { InputError } from "../errors.ts";
import type { DeveloperDeclaration } from "../identity/custom-developers.ts";
import { closestName } from "../text/closest-name.ts";
import { declarationsOf, developerEntryProblems } from "./developer-declarations.ts";
import { issueMessage } from "./issue-wording.ts";
import { type FieldPath, formatPath, lineOf, valueAt } from "./locate.ts";
import { configSchema, developerSchema } from "./schema.ts";

const listSchema = z.strictObject({ developers: z.array(developerSchema).min(1) });
const developerKeys = Object.keys(developerSchema.shape);
/** The top-level keys of distillscope.yaml, whose developers: list a developer file may be. */
const configKeys = new Set(Object.keys(configSchema.shape));

/** A developer file's declarations, and whether the file is distillscope.yaml itself. */
export interface DeveloperFile {
  declarations: DeveloperDeclaration[];
  /**
   * True for a whole distillscope.yaml: its developers: list extends the registry, as in `audit`, and
   * says nothing about which developer built the model under test (so it never implies --identity).
   */
  wholeConfig: boolean;
}

/** The declarations in a developer file. */
export function loadDeveloperFile(path: string): DeveloperDeclaration[] {
  return readDeveloperFile(path).declarations;
}

/** The declarations in a developer file, and whether it is a whole distillscope.yaml. */
export function readDeveloperFile(path: string): DeveloperFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new InputError(
      `--developer-file ${path}: cannot read the file (write one developer as YAML: key, name, aliases, models)`,
    );
  }
  return parseDeveloperFile(text, basename(path));
}

/** Validates developer-file text; `fileLabel` is how error lines name the file. */
export function parseDeveloperText(text: string, fileLabel: string): DeveloperDeclaration[] {
  return parseDeveloperFile(text, fileLabel).declarations;
}

/** parseDeveloperText, also saying whether the text is a whole distillscope.yaml. */
export function parseDeveloperFile(text: string, fileLabel: string): DeveloperFile {
  const lineCounter = new LineCounter();
  const document: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const syntaxError = document.errors[0];
  if (syntaxError !== undefined) {
    const line = lineCounter.linePos(syntaxError.pos[0]).line;
    throw new InputError(
      `${fileLabel}:${line}: YAML syntax error: ${(syntaxError.message.split("\n")[0] ?? "").slice(0, 200)}`,
    );
  }
  const value: unknown = document.toJS({ maxAliasCount: 100 });
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new InputError(
      `${fileLabel}:1: expected one developer (key: acme, name: Acme AI, models: [AcmeBot]) or a developers: list`,
    );
  // distillscope.yaml itself: its developers: list is read, its other settings are the audit's to check.
  const wholeConfig = Object.keys(value).some((key) => key !== "developers" && configKeys.has(key));
  if (wholeConfig && !("developers" in value))
    throw new InputError(
      `${fileLabel}:1: developers: this configuration declares no developers; add a developers: list (key, name, aliases, models)`,
    );
  // One developer written alone is the list's first entry: problems drop the `developers[0].` prefix.
  const single = !("developers" in value);
  const listed = wholeConfig ? { developers: (value as { developers: unknown }).developers } : value;
  const parsed = listSchema.safeParse(single ? { developers: [value] } : listed);
  const fail = (listPath: FieldPath, message: string): never => {
    const path = single ? listPath.slice(2) : listPath;
    throw new InputError(
      `${fileLabel}:${lineOf(document, lineCounter, path)}: ${formatPath(path)}: ${message}`,
    );
  };
  if (!parsed.success) {
    // A misspelt key also makes its field "missing": the "did you mean" is the one line worth showing.
    const issues = parsed.error.issues;
    const issue = issues.find((candidate) => candidate.code === "unrecognized_keys") ?? issues[0]!;
    const path = issue.path.filter((segment): segment is string | number => typeof segment !== "symbol");
    if (issue.code === "unrecognized_keys") {
      const key = issue.keys[0]!;
      const known = path.length === 0 ? ["developers"] : developerKeys;
      const hint = closestName(key, known);
      return fail(
        [...path, key],
        `unknown key (${hint ? `did you mean "${hint}"?` : `expected one of: ${known.join(", ")}`})`,
      );
    }
    return fail(path, issueMessage(issue, valueAt(single ? { developers: [value] } : listed, path)));
  }
  const problem = developerEntryProblems(parsed.data.developers)[0];
  if (problem !== undefined) return fail(problem.path, problem.message);
  return { declarations: declarationsOf(parsed.data.developers), wholeConfig };
}
