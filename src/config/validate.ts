/**
 * Checks of a schema-valid configuration that need other modules or cross-references: known
 * providers, known developer keys, judges that exist, unique target ids, parseable thresholds.
 * Each problem names the field path so the loader can add the line.
 */
import { developerRecordOf } from "../identity/custom-developers.ts";
import { ambiguityMessage, exampleIdentityFor } from "../identity/model-id-identity.ts";
import { closeDeveloperKeys, developerKeys } from "../identity/registry.ts";
import { closestName } from "../text/closest-name.ts";
import { declarationsOf, developerEntryProblems } from "./developer-declarations.ts";
import type { FieldPath } from "./locate.ts";
import { knownProviders } from "./providers.ts";
import type { AuditConfig } from "./schema.ts";
import { configTargetIdentity } from "./target-identity.ts";
import { parseThreshold, type Threshold } from "./thresholds.ts";

export interface ConfigProblem {
  path: FieldPath;
  message: string;
}

/** Every problem found, in field order; an empty list means the configuration is usable. */
export function findConfigProblems(config: AuditConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const judgeNames = config.judges.map((judge) => judge.name);

  const checkModelId = (id: string, path: FieldPath) => {
    const provider = id.slice(0, id.indexOf(":"));
    const providers = knownProviders();
    if (providers.includes(provider)) return;
    const hint = closestName(provider, providers);
    problems.push({
      path,
      message: `unknown provider "${provider}"${hint ? ` (did you mean "${hint}"?)` : ` (known: ${providers.join(", ")})`}`,
    });
  };

  const checkJudge = (judge: string, path: FieldPath) => {
    if (judge === "embedded" || judgeNames.includes(judge)) return;
    if (judge.includes(":")) {
      checkModelId(judge, path);
      return;
    }
    const hint = closestName(judge, ["embedded", ...judgeNames]);
    problems.push({
      path,
      message: `unknown judge "${judge}"${hint ? ` (did you mean "${hint}"?)` : ""}: use "embedded", a name from judges, or a model id`,
    });
  };

  const developerProblems = developerEntryProblems(config.developers);
  problems.push(...developerProblems);
  // Declared keys count even when an entry has a problem (that problem is reported once, above); the
  // "did you mean" searches the declared names only when they are sound.
  const declared =
    developerProblems.length === 0 ? declarationsOf(config.developers).map(developerRecordOf) : [];
  const knownKeys = new Set([
    ...developerKeys(),
    ...config.developers.map((developer) => developer.key.trim().toLowerCase()),
  ]);

  const seenTargets = new Set<string>();
  config.targets.forEach((target, index) => {
    checkModelId(target.id, ["targets", index, "id"]);
    const key = target.label ?? target.id;
    if (seenTargets.has(key)) {
      problems.push({
        path: ["targets", index, "id"],
        message: `duplicate target "${key}": give it a label`,
      });
    }
    seenTargets.add(key);
    const identity = configTargetIdentity(target, declared);
    if (identity.kind === "none") {
      problems.push({
        path: ["targets", index, "identity"],
        message: `identity is missing and the developer of "${target.id}" is not clear from its id: add identity: <developer key> (e.g. identity: ${exampleIdentityFor(target.id)}), or declare the developer under developers: with the model's name`,
      });
    } else if (identity.kind === "ambiguous") {
      problems.push({
        path: ["targets", index, "id"],
        message: `${ambiguityMessage(target.id, identity.matches, "declared under developers:")}; add ${identity.matches.map((match) => `identity: ${match.key}`).join(" or ")}`,
      });
    } else if (identity.kind === "given" && !knownKeys.has(identity.key.trim().toLowerCase())) {
      // Keys match in any case, as `--identity` does: "Upstage" is upstage.
      const written = identity.key;
      const close = closeDeveloperKeys(written, 1, declared)[0];
      problems.push({
        path: ["targets", index, "identity"],
        message: `unknown developer key "${written}"${close ? ` (did you mean "${close}"?)` : `; known keys: ${[...knownKeys].join(", ")}`}; a developer the registry does not know is declared under developers: (key, name, aliases, models)`,
      });
    }
  });
  config.references.forEach((reference, index) => {
    checkModelId(reference.id, ["references", index, "id"]);
  });
  config.judges.forEach((judge, index) => {
    checkModelId(judge.model, ["judges", index, "model"]);
    if (judgeNames.indexOf(judge.name) !== index) {
      problems.push({ path: ["judges", index, "name"], message: `duplicate judge name "${judge.name}"` });
    }
  });

  const { ice, rse, lineage } = config.evaluations;
  if (!ice && !rse && !lineage) {
    problems.push({
      path: ["evaluations"],
      message: "names no evaluation: add at least one of ice, rse, lineage (e.g. ice: { budget: 200 })",
    });
  }
  if (ice) {
    checkJudge(ice.judge, ["evaluations", "ice", "judge"]);
    if (typeof ice.helper === "string") checkModelId(ice.helper, ["evaluations", "ice", "helper"]);
    else if (ice.helper) checkModelId(ice.helper.id, ["evaluations", "ice", "helper", "id"]);
  }
  if (rse) {
    checkJudge(rse.judge, ["evaluations", "rse", "judge"]);
    if (config.references.length === 0) {
      problems.push({
        path: ["evaluations", "rse"],
        message: "RSE compares targets to references: add at least one entry under references",
      });
    }
  }

  config["fail-on"].forEach((source, index) => {
    try {
      const threshold = parseThreshold(source);
      const evaluation = threshold.metric.split(".")[0] as "ice" | "rse" | "lineage";
      if (config.evaluations[evaluation] === undefined) {
        problems.push({
          path: ["fail-on", index],
          message: `threshold on ${threshold.metric} but evaluations.${evaluation} is not configured`,
        });
      }
    } catch (error) {
      problems.push({ path: ["fail-on", index], message: (error as Error).message });
    }
  });
  return problems;
}

/** The parsed `fail-on` thresholds of a configuration that passed findConfigProblems. */
export function configThresholds(config: AuditConfig): Threshold[] {
  return config["fail-on"].map((source) => parseThreshold(source));
}
