import { homeJudgeSecret } from "../secrets/judge-nonce-secret.ts";

/**
 * The secret behind the RSE LLM judge's nonces: the home's random judge secret
 * (src/secrets/judge-nonce-secret.ts, shared with the ICE judges), unchanged for existing homes.
 */
export function judgeNonceSecret(home: string): string {
  return homeJudgeSecret(home);
}
