/**
 * The secret behind the LLM judges' nonces (ICE identity judge, RSE similarity judge): 32 random bytes
 * kept in the state folder (mode 600), so that re-judging the same answers in the same home sends the
 * same requests and hits the engine's cache, while nobody who reads the source (or the flags) can
 * compute a nonce and plant a verdict tag in an answer. It is not an API key; it only has to be unknown
 * to the models whose answers are judged. Each use derives its own secret from it with an HMAC.
 */
import { createHmac, randomBytes } from "node:crypto";
import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeFolder } from "../files/make-folder.ts";

/** The file under the home; the name is the one `rse run` has always used, so existing caches stay valid. */
export const judgeSecretFileName = "rse-judge-nonce-secret";

function readSecret(path: string): string | undefined {
  try {
    const existing = readFileSync(path, "utf8").trim();
    return existing.length >= 32 ? existing : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The home's random judge secret, created on first use. Several processes may start in a new home at
 * once: the secret is written to a private temporary file and linked into place, which fails when
 * another process got there first, so every process ends up with the one secret on disk (and the same
 * cached judge answers).
 */
export function homeJudgeSecret(home: string): string {
  const path = join(home, judgeSecretFileName);
  const existing = readSecret(path);
  if (existing !== undefined) return existing;
  makeFolder(home);
  const secret = randomBytes(32).toString("hex");
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  writeFileSync(temporary, `${secret}\n`, { mode: 0o600 });
  try {
    linkSync(temporary, path);
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const winner = readSecret(path);
    if (winner !== undefined) return winner;
    // The file there is damaged (too short): replace it.
    renameSync(temporary, path);
    return secret;
  } finally {
    rmSync(temporary, { force: true });
  }
}

/**
 * A nonce secret for one use (`ice-judge:<seed>`, `ice-run:<seed>:<target>`...): the same home and
 * purpose give the same secret, another home or purpose an unrelated one.
 */
export function derivedJudgeSecret(home: string, purpose: string): string {
  return createHmac("sha256", homeJudgeSecret(home)).update(purpose).digest("hex");
}
