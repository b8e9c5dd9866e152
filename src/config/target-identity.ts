/**
 * A config target's developer: its `identity` when written, else the developer its `id` names among
 * the registry and the config's `developers:` (the rules of `ice run`, src/identity/model-id-identity.ts).
 */
import type { DeveloperRecord } from "../identity/developers.ts";
import { identityFromModelId, type ModelIdIdentity } from "../identity/model-id-identity.ts";
import type { TargetConfig } from "./schema.ts";

export type ConfigTargetIdentity = { kind: "given"; key: string } | ModelIdIdentity;

/** `identity` as written (any case), or what the target id implies. */
export function configTargetIdentity(
  target: Pick<TargetConfig, "id" | "identity">,
  developers: readonly DeveloperRecord[],
): ConfigTargetIdentity {
  if (target.identity !== undefined) return { kind: "given", key: target.identity };
  return identityFromModelId(target.id, developers);
}
