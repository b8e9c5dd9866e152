import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeFolder } from "../files/make-folder.ts";

/**
 * The secret behind the LLM judge's nonces, kept in the state folder (mode 600) so that re-judging the
 * same pairs sends the same requests and hits the engine's cache. It is not an API key; it only has to be
 * unknown to the models whose answers are judged.
 */
export function judgeNonceSecret(home: string): string {
  const path = join(home, "rse-judge-nonce-secret");
  try {
    const existing = readFileSync(path, "utf8").trim();
    if (existing.length >= 32) return existing;
  } catch {
    // Not there yet: created below.
  }
  makeFolder(home);
  const secret = randomBytes(32).toString("hex");
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  return secret;
}
