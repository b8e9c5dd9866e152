import { schemaVersion, toolVersion } from "../version.ts";

/** Kinds of result JSON this tool writes. */
export type ResultKind = "ice" | "rse" | "lineage" | "audit" | "collect";

/** Fields every result JSON carries (architecture contract). */
export interface ResultEnvelope {
  schemaVersion: number;
  kind: ResultKind;
  toolVersion: string;
  createdAt: string;
}

export function envelope(kind: ResultKind, now: Date = new Date()): ResultEnvelope {
  return { schemaVersion, kind, toolVersion, createdAt: now.toISOString() };
}
