/**
 * The judge `ice run` applies to each answer: the embedded claim analyser, or an LLM judge run beside
 * the embedded one (its verdict is scored, the embedded one kept for agreement). A judge failure is
 * recorded as an error with a null verdict, never as a verdict.
 */
import type { IdentityVerdict } from "../identity/claims.ts";
import { analyseIdentity } from "../identity/claims.ts";
import { forcedPersonaDevelopers } from "../identity/forced-persona.ts";
import type { DeveloperKey, DeveloperRecord } from "../identity/registry.ts";
import { type CompleteFunction, judgeIdentityWithLlm } from "../judges/identity-llm-judge.ts";
import type { IceScoredInput } from "../metrics/ice.ts";
import type { Model } from "../models/types.ts";

/** Which judge to use: `embedded`, or an LLM judge model. */
export type IceJudgeSpec = { kind: "embedded" } | { kind: "llm"; model: Model };

export interface RowJudgement {
  verdict: IceScoredInput["verdict"];
  judgeError?: string;
  /** The embedded verdict when an LLM judge gave the scored one. */
  secondVerdict?: { loose: boolean; strict: boolean } | null;
}

export interface RowJudge {
  readonly name: string;
  judge(input: { index: number; prompt: string; template: string; response: string }): Promise<RowJudgement>;
}

/** Parses `--judge`: "embedded" or a model id, built with `createModel`. */
export function parseJudgeFlag(value: string, createModel: (id: string) => Model): IceJudgeSpec {
  return value === "embedded" ? { kind: "embedded" } : { kind: "llm", model: createModel(value) };
}

function embeddedVerdict(
  identity: DeveloperKey,
  input: { prompt: string; template: string; response: string },
  forcedCache: Map<string, ReadonlySet<string>>,
  developers: readonly DeveloperRecord[],
): IdentityVerdict {
  let forced = forcedCache.get(input.template);
  if (forced === undefined) {
    forced = forcedPersonaDevelopers(input.template, developers);
    forcedCache.set(input.template, forced);
  }
  return analyseIdentity({
    response: input.response,
    identity,
    prompt: input.prompt,
    forcedDevelopers: forced,
    developers,
  });
}

/**
 * A row judge for an identity. `complete` sends one request to the LLM judge (through the engine);
 * `nonceSecret` makes the judge's nonces, and so its requests, repeatable for the cache. `developers` are
 * developers declared beside the registry (declareDevelopers); `identity` may be one of them.
 */
export function createRowJudge(
  spec: IceJudgeSpec,
  identity: DeveloperKey,
  llm?: { complete: CompleteFunction; nonceSecret: string },
  developers: readonly DeveloperRecord[] = [],
): RowJudge {
  const forcedCache = new Map<string, ReadonlySet<string>>();
  if (spec.kind === "embedded") {
    return {
      name: "embedded",
      async judge(input) {
        const verdict = embeddedVerdict(identity, input, forcedCache, developers);
        return {
          verdict: {
            loose: verdict.loose,
            strict: verdict.strict,
            claims: verdict.claims,
            addressesJudge: verdict.addressesJudge,
          },
        };
      },
    };
  }
  if (llm === undefined) throw new Error("an LLM judge needs a complete function");
  return {
    name: spec.model.id,
    async judge(input) {
      const local = embeddedVerdict(identity, input, forcedCache, developers);
      const second = { loose: local.loose, strict: local.strict };
      const outcome = await judgeIdentityWithLlm(
        { index: input.index, prompt: input.prompt, response: input.response },
        { complete: llm.complete, identity, developers, nonceSecret: llm.nonceSecret },
      );
      if (!outcome.ok) return { verdict: null, judgeError: outcome.error, secondVerdict: second };
      return {
        verdict: {
          loose: outcome.loose,
          strict: outcome.strict,
          claims: local.claims,
          addressesJudge: local.addressesJudge,
        },
        secondVerdict: second,
      };
    },
  };
}
