/**
 * The models of an audit's RSE results that gave no usable answer at all (every turn failed, came back
 * empty or was never asked): nothing was measured against them, so the audit fails (exit 3) as `rse run`
 * does, even when no threshold reads them. Read from the result files the audit wrote.
 */
import { readFileSync } from "node:fs";
import { answeredNothing } from "../rse/answered-nothing.ts";
import type { AuditResultFile } from "./run.ts";

export interface SilentModel {
  subject: string;
  model: string;
  turns: number;
  path: string;
}

interface AnswerCount {
  turns: number;
  answered: number;
}

export function silentModels(results: readonly AuditResultFile[]): SilentModel[] {
  const silent: SilentModel[] = [];
  for (const file of results) {
    if (file.kind !== "rse") continue;
    const result = JSON.parse(readFileSync(file.path, "utf8")) as {
      answerCounts?: Record<string, AnswerCount>;
    };
    for (const [model, count] of Object.entries(result.answerCounts ?? {}))
      if (answeredNothing(count))
        silent.push({ subject: file.subject, model, turns: count.turns, path: file.path });
  }
  return silent;
}
