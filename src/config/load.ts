/**
 * Loads distillscope.yaml: YAML with source positions -> zod schema -> cross-checks. Every problem
 * becomes ONE line `file:line: field: what is wrong (and the fix)` in an InputError (exit 2).
 */
import { readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { type Document, LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import { InputError } from "../errors.ts";
import { checkPathArgument } from "../files/path-argument.ts";
import { checkTextArgument } from "../options/library-options.ts";
import { closestName } from "../text/closest-name.ts";
import { issueMessage } from "./issue-wording.ts";
import { generateJsonSchema } from "./json-schema.ts";
import { type FieldPath, formatPath, lineOf, valueAt } from "./locate.ts";
import { type AuditConfig, configSchema } from "./schema.ts";
import type { Threshold } from "./thresholds.ts";
import { configThresholds, findConfigProblems } from "./validate.ts";

export interface LoadedConfig {
  config: AuditConfig;
  thresholds: Threshold[];
  /** Absolute path of the file. */
  path: string;
  /** Directory relative paths in the config resolve against. */
  directory: string;
  /** `file:line: message` for a problem with one field, found after loading (e.g. an unset key variable). */
  locate: (path: FieldPath, message: string) => InputError;
}

interface LocatedProblem {
  line: number;
  field: string;
  message: string;
  /** A required field that is absent. */
  missing?: boolean;
  /** For an unknown key: the field it is probably a typo of. */
  meant?: string;
}

/** Reads and validates a config file. Throws InputError with one line on any problem. */
export function loadConfig(path: string): LoadedConfig {
  checkPathArgument(path, "the config path");
  const absolute = resolve(path);
  let text: string;
  try {
    text = readFileSync(absolute, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EISDIR") {
      throw new InputError(
        `${path}: is a folder; give the config file in it, e.g. -c ${join(path, "distillscope.yaml")}`,
      );
    }
    throw new InputError(
      `${path}: cannot read the config file (create one with: distillscope init --out ${path})`,
    );
  }
  const { config, thresholds, locate } = parseConfigText(text, basename(path));
  return { config, thresholds, path: absolute, directory: dirname(absolute), locate };
}

/** Validates config text; `fileLabel` is how error lines name the file. */
export function parseConfigText(
  text: string,
  fileLabel: string,
): Pick<LoadedConfig, "config" | "thresholds" | "locate"> {
  checkTextArgument(text, "parseConfigText: text", '"version: 1\\n..." (the YAML itself)');
  checkTextArgument(
    fileLabel,
    "parseConfigText: fileLabel",
    '"distillscope.yaml" (how errors name the file)',
  );
  const lineCounter = new LineCounter();
  let document: Document;
  let value: unknown;
  try {
    document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
    const syntaxError = document.errors[0];
    if (syntaxError) {
      // linePos is only filled with prettyErrors; the error's offset gives the line either way.
      const line = syntaxError.linePos?.[0].line ?? lineCounter.linePos(syntaxError.pos[0]).line;
      const reason = syntaxError.message.split("\n")[0] ?? "invalid YAML";
      throw new InputError(`${fileLabel}:${line}: YAML syntax error: ${reason.slice(0, 200)}`);
    }
    // Alias bombs, nesting deeper than the stack and other resource limits surface here.
    value = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    if (error instanceof InputError) throw error;
    const reason = (error instanceof Error ? error.message : String(error)).split("\n")[0]?.slice(0, 200);
    throw new InputError(`${fileLabel}:1: cannot read the YAML (${reason}); check the file`);
  }
  if (value === null || value === undefined) {
    throw new InputError(`${fileLabel}:1: the file is empty (write an example with: distillscope init)`);
  }
  const parsed = configSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap((issue) => locateIssue(issue, document, lineCounter, value));
    throw problemsError(fileLabel, problems);
  }
  const problems = findConfigProblems(parsed.data).map((problem) => ({
    line: lineOf(document, lineCounter, problem.path),
    field: formatPath(problem.path),
    message: problem.message,
  }));
  if (problems.length > 0) throw problemsError(fileLabel, problems);
  const located = document;
  return {
    config: parsed.data,
    thresholds: configThresholds(parsed.data),
    locate: (path, message) =>
      new InputError(`${fileLabel}:${lineOf(located, lineCounter, path)}: ${message}`),
  };
}

function problemsError(fileLabel: string, problems: LocatedProblem[]): InputError {
  // A required field reported missing because it was misspelt (`target:` for `targets:`) is one
  // mistake: the unknown key's "did you mean" says it, the "missing" line would hide it.
  const meant = new Set(problems.flatMap((problem) => (problem.meant === undefined ? [] : [problem.meant])));
  const kept = problems.filter((problem) => !(problem.missing === true && meant.has(problem.field)));
  const sorted = [...kept].sort((left, right) => left.line - right.line);
  const first = sorted[0];
  if (!first) return new InputError(`${fileLabel}: invalid configuration`);
  const more = sorted.length > 1 ? ` [${sorted.length - 1} more problem(s) after this one]` : "";
  return new InputError(`${fileLabel}:${first.line}: ${first.field}: ${first.message}${more}`);
}

function locateIssue(
  issue: z.core.$ZodIssue,
  document: Document,
  lineCounter: LineCounter,
  value: unknown,
): LocatedProblem[] {
  const path = issue.path.filter((segment): segment is string | number => typeof segment !== "symbol");
  if (issue.code === "unrecognized_keys") {
    const known = knownKeysAt(path);
    return issue.keys.map((key) => {
      if (known.includes("api-key-env") && secretKeyName.test(key))
        return {
          line: lineOf(document, lineCounter, path, key),
          field: formatPath([...path, key]),
          message:
            "API keys never go in this file (it gets committed and shared): export the key in an environment variable and name that variable with api-key-env, e.g. api-key-env: MY_PROVIDER_KEY",
        };
      const hint = closestName(key, known);
      const fix = hint ? `did you mean "${hint}"?` : `expected one of: ${known.join(", ")}`;
      return {
        line: lineOf(document, lineCounter, path, key),
        field: formatPath([...path, key]),
        message: `unknown key (${fix})`,
        ...(hint ? { meant: formatPath([...path, hint]) } : {}),
      };
    });
  }
  const actual = valueAt(value, path);
  return [
    {
      line: lineOf(document, lineCounter, path),
      field: formatPath(path),
      message: issueMessage(issue, actual),
      ...(issue.code === "invalid_type" && actual === undefined ? { missing: true } : {}),
    },
  ];
}

/** Keys under which people paste a secret itself (api-key, apiKey, api_key, token, authorization...). */
const secretKeyName = /^(api[-_]?key|key|token|secret|password|authorization|bearer|headers?)$/i;

let cachedJsonSchema: Record<string, unknown> | undefined;

/** Keys the schema allows in the mapping at `path` (for "did you mean"). */
function knownKeysAt(path: FieldPath): string[] {
  cachedJsonSchema ??= generateJsonSchema();
  let node: Record<string, unknown> | undefined = cachedJsonSchema;
  for (const segment of path) {
    if (!node) break;
    if (typeof segment === "number") node = node.items as Record<string, unknown> | undefined;
    else node = (node.properties as Record<string, Record<string, unknown>> | undefined)?.[segment];
    node = mappingBranch(node);
  }
  return Object.keys((node?.properties as Record<string, unknown> | undefined) ?? {});
}

/** A field that is "a string or a mapping" (the ICE helper): its keys are those of the mapping form. */
function mappingBranch(node: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const branches = node?.anyOf as Array<Record<string, unknown>> | undefined;
  if (node?.properties !== undefined || !Array.isArray(branches)) return node;
  return branches.find((branch) => branch.properties !== undefined) ?? node;
}
