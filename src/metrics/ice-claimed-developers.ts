/**
 * Which other developers a target's strict answers claim to be (or be made by), counted in answers: the
 * question a reader of an ICE score asks next ("11% claim another developer's identity: whose?"). An
 * answer naming two other developers counts for each. Read from the counted claims the embedded judge
 * recorded; a strict answer with no such claim (an LLM judge's verdict) is counted as `unnamed`.
 */

export interface ClaimedDeveloper {
  /** A registry developer key, or "unnamed" for strict answers whose claims do not say. */
  developer: string;
  /** Answers (rows) that claim it. */
  answers: number;
}

/** An ICE item as a result file holds it: its claims are read field by field (a file may hold anything). */
interface ItemClaims {
  strict?: boolean | null;
  claims?: ReadonlyArray<{
    readonly developer?: unknown;
    readonly kind?: unknown;
    readonly counted?: unknown;
  }>;
}

/** Claimed developers of the strict answers, most answers first (ties by key). */
export function claimedDevelopers(items: readonly ItemClaims[], identity: string): ClaimedDeveloper[] {
  const counts = new Map<string, number>();
  for (const item of items) {
    if (item.strict !== true) continue;
    const named = new Set(
      (item.claims ?? []).flatMap((claim) =>
        claim.counted === true &&
        claim.kind !== "negated" &&
        typeof claim.developer === "string" &&
        claim.developer !== identity &&
        claim.developer !== "unregistered"
          ? [claim.developer]
          : [],
      ),
    );
    if (named.size === 0) named.add("unnamed");
    for (const developer of named) counts.set(developer, (counts.get(developer) ?? 0) + 1);
  }
  return [...counts]
    .map(([developer, answers]) => ({ developer, answers }))
    .sort((left, right) => right.answers - left.answers || left.developer.localeCompare(right.developer));
}

/** "anthropic 22, openai 3" (empty when no strict answer). */
export function claimedDevelopersText(claimed: readonly ClaimedDeveloper[]): string {
  return claimed.map((entry) => `${entry.developer} ${entry.answers}`).join(", ");
}
