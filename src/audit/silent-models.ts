/**
 * The models of an audit's RSE results that gave no usable answer at all (every turn failed, came back
 * empty or was never asked), and the ICE targets that answered none of their queries: nothing was
 * measured against them, so the audit fails (exit 3) as `rse run` and `ice run` do, even when no
 * threshold reads them. Read from the result files the audit wrote.
 */
import { readFileSync } from "node:fs";
import { targetAnsweredNothing } from "../ice/answered-nothing.ts";
import { answeredNothing } from "../rse/answered-nothing.ts";
import type { AuditResultFile } from "./run.ts";

export interface SilentModel {
  kind: "ice" | "rse";
  subject: string;
  model: string;
  /** RSE: turns asked; ICE: queries sent. */
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
    if (file.kind === "ice") {
      const result = JSON.parse(readFileSync(file.path, "utf8")) as Parameters<
        typeof targetAnsweredNothing
      >[0];
      const answered = { target: result.target, items: result.items ?? [], failures: result.failures ?? [] };
      if (targetAnsweredNothing(answered))
        silent.push({
          kind: "ice",
          subject: file.subject,
          model: answered.target,
          turns: answered.failures.length,
          path: file.path,
        });
      continue;
    }
    if (file.kind !== "rse") continue;
    const result = JSON.parse(readFileSync(file.path, "utf8")) as {
      answerCounts?: Record<string, AnswerCount>;
    };
    for (const [model, count] of Object.entries(result.answerCounts ?? {}))
      if (answeredNothing(count))
        silent.push({ kind: "rse", subject: file.subject, model, turns: count.turns, path: file.path });
  }
  return silent;
}
