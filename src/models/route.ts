/**
 * How requests reach a provider: directly, or through the proxy that HTTPS_PROXY / HTTP_PROXY name, unless
 * NO_PROXY lists the host. Read the way curl and Python's requests read them: the proxy variable of the
 * URL's scheme (lower case first), NO_PROXY entries match the host or any subdomain (an optional ":port"
 * narrows one to that port, "*" turns the proxy off), and loopback hosts never go through a proxy (a local
 * vLLM, Ollama or test server). Worked out once per adapter, not per request.
 */
import { Agent, type Dispatcher, ProxyAgent } from "undici";
import { InputError } from "../errors.ts";

export interface Route {
  dispatcher: Dispatcher;
  /** The variable that named the proxy (e.g. "HTTPS_PROXY"), named in errors; absent when direct. */
  proxyVariable?: string;
  /** The proxy URL's user name and password, when it has them, so failures can scrub them. */
  proxySecrets?: string[];
}

/**
 * undici's own header and body timeouts are off: the engine times each attempt out itself
 * (--timeout-ms) and aborts the request's signal.
 */
const timeouts = { headersTimeout: 0, bodyTimeout: 0 };

/** One keep-alive agent (a pool per origin) for every direct request of the process. */
export const directRoute: Route = { dispatcher: new Agent(timeouts) };

/** One proxy agent per proxy URL, shared by every adapter that goes through it. */
const proxyAgents = new Map<string, Dispatcher>();

const loopbackHosts = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/** The value of the first variable of `names` that is set and not blank. */
function firstSet(environment: NodeJS.ProcessEnv, names: readonly string[]): [string, string] | undefined {
  for (const name of names) {
    const value = environment[name]?.trim();
    if (value) return [name, value];
  }
  return undefined;
}

/** Whether NO_PROXY (a list of hosts, .domains, *.domains, host:port or "*") exempts this host and port. */
export function exemptFromProxy(hostname: string, port: number, noProxy: string): boolean {
  for (const raw of noProxy.split(/[,\s]+/)) {
    const entry = raw.trim().toLowerCase();
    if (entry === "") continue;
    if (entry === "*") return true;
    const withPort = /^(.+):(\d+)$/.exec(entry);
    if (withPort && !entry.endsWith("]") && Number(withPort[2]) !== port) continue;
    const host = (withPort && !entry.endsWith("]") ? withPort[1]! : entry).replace(/^\*?\./, "");
    if (hostname === host || hostname.endsWith(`.${host}`)) return true;
  }
  return false;
}

/** The route for requests to `url`, from the proxy variables of `environment`. */
export function routeFor(url: URL, environment: NodeJS.ProcessEnv): Route {
  const hostname = url.hostname.toLowerCase();
  if (loopbackHosts.has(hostname)) return directRoute;
  const names = url.protocol === "https:" ? ["https_proxy", "HTTPS_PROXY"] : ["http_proxy", "HTTP_PROXY"];
  const proxy = firstSet(environment, names);
  if (proxy === undefined) return directRoute;
  const port = Number(url.port) || (url.protocol === "https:" ? 443 : 80);
  const noProxy = firstSet(environment, ["no_proxy", "NO_PROXY"]);
  if (noProxy && exemptFromProxy(hostname, port, noProxy[1])) return directRoute;
  const [variable, value] = proxy;
  let proxyUrl: URL;
  try {
    proxyUrl = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
  } catch {
    throw new InputError(`${variable} is not a proxy URL; set it like http://proxy.example:3128`);
  }
  if (proxyUrl.protocol !== "http:" && proxyUrl.protocol !== "https:")
    throw new InputError(
      `${variable} uses ${proxyUrl.protocol} proxies, which are not supported; use an http:// or https:// proxy`,
    );
  const secrets = [decodeURIComponent(proxyUrl.username), decodeURIComponent(proxyUrl.password)].filter(
    (secret) => secret !== "",
  );
  const key = proxyUrl.href;
  let dispatcher = proxyAgents.get(key);
  if (dispatcher === undefined) {
    dispatcher = new ProxyAgent({ ...timeouts, uri: key });
    proxyAgents.set(key, dispatcher);
  }
  return { dispatcher, proxyVariable: variable, ...(secrets.length > 0 ? { proxySecrets: secrets } : {}) };
}

/** The failure-context fields of a route: the proxy variable to name when the proxy fails. */
export function routeContext(route: Route | undefined): { proxyVariable?: string } {
  return route?.proxyVariable === undefined ? {} : { proxyVariable: route.proxyVariable };
}
