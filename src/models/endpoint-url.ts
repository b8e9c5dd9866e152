/**
 * The URL of one API route under a base URL the user typed. Users copy base URLs from many places, so
 * `https://api.anthropic.com/v1` (with the version the route starts with) or a gateway's
 * `https://gateway/v1?api-version=x` (with a query) must not become `/v1/v1/messages` or
 * `?api-version=x/v1/messages`.
 */
export interface EndpointUrlOptions {
  /**
   * Trailing path segments of the base URL that the route replaces (e.g. "v1" for Ollama's `/api/chat`,
   * whose users often copy its OpenAI-compatible `/v1` base URL). The route's own first segment always is.
   */
  replaces?: readonly string[];
}

/** `route` (starting with "/") appended to the base URL's path; the base URL's query is kept. */
export function endpointUrl(baseUrl: string, route: string, options: EndpointUrlOptions = {}): URL {
  const url = new URL(baseUrl);
  url.pathname = `${basePath(url, route, options)}${route}`;
  return url;
}

/**
 * The part of the base URL's path that comes before `route` in the request URL (endpointUrl), without a
 * trailing slash: "" for `https://api.anthropic.com/v1` and "/v1" for `http://127.0.0.1:8000/v1/` under
 * their routes. Never holds the query, the fragment or the user info.
 */
export function basePath(url: URL, route: string, options: EndpointUrlOptions = {}): string {
  let path = url.pathname.replace(/\/+$/, "");
  // The whole endpoint pasted as the base URL (".../v1/chat/completions").
  if (path.toLowerCase().endsWith(route.toLowerCase())) path = path.slice(0, path.length - route.length);
  const routeFirstSegment = route.split("/")[1] ?? "";
  const replaced = new Set(
    [routeFirstSegment, ...(options.replaces ?? [])].map((segment) => segment.toLowerCase()),
  );
  const lastSlash = path.lastIndexOf("/");
  const lastSegment = path.slice(lastSlash + 1).toLowerCase();
  if (lastSegment !== "" && replaced.has(lastSegment)) path = path.slice(0, lastSlash);
  return path;
}

/** Whether a base URL's path names an API version (`/v1`, `/v4`, `/v1beta`...), as OpenAI-compatible ones do. */
export function namesApiVersion(baseUrl: string): boolean {
  return /\/v\d+[a-z]*(\/|$)/i.test(new URL(baseUrl).pathname);
}
