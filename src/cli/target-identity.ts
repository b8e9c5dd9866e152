/**
 * The identity a model id implies for `ice run` and `ice judge`, among the registry and the developers
 * the flags declare, with the line that tells the user how it was found ("identity: acme (from the
 * target id: "AcmeBot", declared in acme.yaml)"). Ambiguity is exit 2 naming every candidate.
 */
import { InputError } from "../errors.ts";
import {
  ambiguityMessage,
  describeMatch,
  identityFromModelId,
  inferenceNote,
} from "../identity/model-id-identity.ts";
import type { DeclaredDevelopers } from "./developer-flags.ts";

/** A developer key and how it was chosen, when it was not given. */
export interface InferredIdentity {
  key: string;
  note: string;
}

function passOne(keys: readonly string[]): string {
  return `pass ${keys.map((key) => `--identity ${key}`).join(" or ")}`;
}

/**
 * The developer that `id` names, or undefined when it names none. `subject` says what the id is in
 * messages ("the target id", "the file name"). Throws InputError (exit 2) when several developers match
 * and none is more specific, or when the id names a registry developer while a one-developer
 * `--developer-file` declares another.
 */
export function identityFromId(
  id: string,
  declared: DeclaredDevelopers,
  subject = "the target id",
): InferredIdentity | undefined {
  const inferred = identityFromModelId(id, declared.developers);
  if (inferred.kind === "none") return undefined;
  if (inferred.kind === "ambiguous")
    throw new InputError(
      `--identity is needed: ${ambiguityMessage(id, inferred.matches, `declared in ${declared.declaredIn}`, subject)}; ${passOne(inferred.matches.map((match) => match.key))}`,
    );
  const { match } = inferred;
  if (declared.onlyDeclared !== undefined && match.key !== declared.onlyDeclared)
    throw new InputError(
      `--identity is needed: ${subject} "${id}" names ${describeMatch(match, `declared in ${declared.declaredIn}`)} but ${declared.declaredIn} declares one developer, ${declared.onlyDeclared}; ${passOne([match.key, declared.onlyDeclared])}`,
    );
  return { key: match.key, note: inferenceNote(match, `declared in ${declared.declaredIn}`, subject) };
}

/** The only developer of a one-developer `--developer-file`, when no id named a developer. */
export function onlyDeclaredIdentity(declared: DeclaredDevelopers): InferredIdentity | undefined {
  if (declared.onlyDeclared === undefined) return undefined;
  return {
    key: declared.onlyDeclared,
    note: `identity: ${declared.onlyDeclared} (the only developer declared in ${declared.declaredIn})`,
  };
}
