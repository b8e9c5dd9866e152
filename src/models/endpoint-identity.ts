/**
 * What tells one endpoint from another (`Model.endpoint`): the cache key's endpoint part, the scope of
 * concurrency and rate limits, and the name printed in messages and written in transcripts.
 *
 * It is the base URL's host (and port), plus its path when that path is not one of the provider's usual
 * API roots, so that two gateways on one host (`http://gw:8080/team-a/v1`, `http://gw:8080/team-b/v1`)
 * never share answers. A usual root (`https://api.openai.com/v1`, Anthropic's and Gemini's bare host,
 * a preset's own path) leaves the identity the bare host it always was, so stores filled before paths
 * counted keep answering. The path is the one endpoint-url.ts puts before the route, so the spellings of
 * one base URL (a trailing slash, the whole endpoint pasted, Anthropic's `/v1`) make one identity.
 * Never a secret: no user info, query or fragment, and key-shaped path segments are replaced.
 */
import { minimumRedactedKeyLength } from "../secrets/known-keys.ts";
import { redactKeyShaped } from "../secrets/redact.ts";
import { basePath, type EndpointUrlOptions } from "./endpoint-url.ts";

export interface EndpointIdentityOptions extends EndpointUrlOptions {
  /**
   * Base URL paths (as typed, e.g. "/v1" or "/compatible-mode/v1") that are the provider's usual API
   * root: with one of them the identity is the host alone. The empty path always is.
   */
  defaultPaths?: readonly string[];
  /** Values that must not appear in the identity (the adapter's key), replaced like key-shaped text. */
  secrets?: ReadonlyArray<string | undefined>;
}

const redactedMarker = "[redacted]";

export function endpointIdentity(
  baseUrl: string,
  route: string,
  options: EndpointIdentityOptions = {},
): string {
  const url = new URL(baseUrl);
  const path = basePath(url, route, options);
  // Compared without case, as endpoint-url.ts compares versions: "/V1" is the "/v1" users copied.
  const usual = new Set(
    ["", ...(options.defaultPaths ?? [])].map((defaultPath) =>
      basePath(new URL(defaultPath, "http://root.invalid"), route, options).toLowerCase(),
    ),
  );
  if (usual.has(path.toLowerCase())) return url.host;
  let shown = path;
  // Short values (a local server's placeholder key such as "EMPTY") are not keys, and could be path words.
  for (const secret of options.secrets ?? [])
    if (secret !== undefined && secret.length >= minimumRedactedKeyLength)
      shown = shown.split(secret).join(redactedMarker);
  return `${url.host}${redactKeyShaped(shown)}`;
}
