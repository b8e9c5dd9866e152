/**
 * The secret behind the LLM judges' nonces (ICE identity judge, RSE similarity judge): 32 random bytes
 * kept in the state folder (mode 600), so that re-judging the same answers in the same home sends the
 * same requests and hits the engine's cache, while nobody who reads the source (or the flags) can
 * compute a nonce and plant a verdict tag in an answer. It is not an API key; it only has to be unknown
 * to the models whose answers are judged. Each use derives its own secret from it with an HMAC.
 */
import { createHmac, randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeFolder } from "../files/make-folder.ts";

/** The file under the home; the name is the one `rse run` has always used, so existing caches stay valid. */
export const judgeSecretFileName = "rse-judge-nonce-secret";

/** The home's random judge secret, created on first use. */
export function homeJudgeSecret(home: string): string {
  const path = join(home, judgeSecretFileName);
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

/**
 * A nonce secret for one use (`ice-judge:<seed>`, `ice-run:<seed>:<target>`...): the same home and
 * purpose give the same secret, another home or purpose an unrelated one.
 */
export function derivedJudgeSecret(home: string, purpose: string): string {
  return createHmac("sha256", homeJudgeSecret(home)).update(purpose).digest("hex");
}
