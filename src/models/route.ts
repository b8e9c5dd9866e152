/**
 * How requests reach a provider: directly, or through the proxy that HTTPS_PROXY / HTTP_PROXY / ALL_PROXY
 * name, unless NO_PROXY lists the host. Read the way curl reads them: the proxy variable of the URL's
 * scheme, then ALL_PROXY (lower case first for each); NO_PROXY entries match the host or any subdomain (an
 * optional ":port" narrows one to that port), IP addresses also by CIDR range (10.0.0.0/8), "*" turns the
 * proxy off; trailing dots are ignored. A proxy URL is http://, https:// (a CONNECT tunnel, opened by
 * src/models/proxy-tunnel.ts) or socks4://, socks4a://, socks5://, socks5h:// (src/models/socks-tunnel.ts).
 * Loopback hosts never go through a proxy (a local vLLM, Ollama or test server). Worked out once per
 * adapter, not per request.
 */
import { BlockList, isIP } from "node:net";
import { Agent, type Dispatcher } from "undici";
import { SettingError } from "../errors.ts";
import { endpointPlace } from "./endpoint-place.ts";
import { abandonPendingTunnels, tunnelConnector } from "./proxy-tunnel.ts";
import { closeWithRoutes } from "./route-closing.ts";
import { socksConnector, socksSchemes } from "./socks-tunnel.ts";

export interface Route {
  dispatcher: Dispatcher;
  /** The variable that named the proxy ("HTTPS_PROXY", "ALL_PROXY"...), for errors; absent when direct. */
  proxyVariable?: string;
  /** The proxy URL's password, when it has one, so failures can scrub it. */
  proxySecrets?: string[];
}

/**
 * undici's own header and body timeouts are off: the engine times each attempt out itself
 * (--timeout-ms) and aborts the request's signal.
 */
const timeouts = { headersTimeout: 0, bodyTimeout: 0 };

/** One keep-alive agent (a pool per origin) for every direct request of the process. */
export const directRoute: Route = { dispatcher: new Agent(timeouts) };

/** One tunnelling agent per proxy URL (credentials included), shared by every adapter using it. */
const proxyAgents = new Map<string, Dispatcher>();

/** A host name or IP literal without IPv6 brackets or a trailing dot, in lower case. */
function bareHost(host: string): string {
  return host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, "$1")
    .replace(/\.$/, "");
}

/** Whether NO_PROXY (hosts, .domains, *.domains, host:port, IP ranges in CIDR, or "*") exempts this host and port. */
export function exemptFromProxy(hostname: string, port: number, noProxy: string): boolean {
  const host = bareHost(hostname);
  const family = isIP(host);
  for (const raw of noProxy.split(/[,\s]+/)) {
    let entry = raw.trim().toLowerCase();
    if (entry === "") continue;
    if (entry === "*") return true;
    let entryPort: number | undefined;
    // "host:port" and "[v6]:port" carry a port; a bare IPv6 address ("2001:db8::1") has several colons and none.
    const withPort = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(entry);
    if (withPort) {
      entry = withPort[1]!;
      entryPort = Number(withPort[2]);
    }
    if (entryPort !== undefined && entryPort !== port) continue;
    const cidr = /^(.+)\/(\d{1,3})$/.exec(bareHost(entry));
    if (cidr) {
      const network = cidr[1]!;
      const networkFamily = isIP(network);
      if (networkFamily === 0 || networkFamily !== family) continue;
      const ranges = new BlockList();
      try {
        ranges.addSubnet(network, Number(cidr[2]), networkFamily === 4 ? "ipv4" : "ipv6");
      } catch {
        continue; // a prefix too long for the family: not a range
      }
      if (ranges.check(host, family === 4 ? "ipv4" : "ipv6")) return true;
      continue;
    }
    const name = bareHost(entry).replace(/^\*?\./, "");
    if (host === name || (family === 0 && host.endsWith(`.${name}`))) return true;
  }
  return false;
}

/** The value of the first variable of `names` that is set and not blank. */
function firstSet(environment: NodeJS.ProcessEnv, names: readonly string[]): [string, string] | undefined {
  for (const name of names) {
    const value = environment[name]?.trim();
    if (value) return [name, value];
  }
  return undefined;
}

/** The proxy URL's user name and password, decoded; a SettingError naming the variable when they are not. */
function credentials(proxyUrl: URL, variable: string): { user: string; password: string } | undefined {
  if (proxyUrl.username === "" && proxyUrl.password === "") return undefined;
  try {
    return { user: decodeURIComponent(proxyUrl.username), password: decodeURIComponent(proxyUrl.password) };
  } catch {
    throw new SettingError(`${variable} has a malformed %-escape in its user name or password`);
  }
}

const proxyExample = "set it like http://proxy.example:3128 or socks5h://127.0.0.1:1080";

/**
 * The proxy URL of a variable's value: with a scheme we can use, a host, and credentials a SOCKS proxy
 * can carry; a SettingError naming the variable (never its value, which may hold a password) otherwise.
 */
function proxyUrlOf(variable: string, value: string): URL {
  let proxyUrl: URL;
  try {
    // No scheme means an HTTP proxy, as curl reads it.
    proxyUrl = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
  } catch {
    throw new SettingError(`${variable} is not a proxy URL; set it like http://proxy.example:3128`);
  }
  const scheme = proxyUrl.protocol.slice(0, -1).toLowerCase();
  const socks = (socksSchemes as readonly string[]).includes(scheme);
  if (scheme !== "http" && scheme !== "https" && !socks)
    throw new SettingError(
      `${variable} uses ${proxyUrl.protocol} proxies, which are not supported; use an http://, https://, socks4://, socks4a://, socks5:// or socks5h:// proxy`,
    );
  // "socks5://" and "socks5:///x" parse (SOCKS URLs are not special to the URL parser) but name no host.
  if (proxyUrl.hostname === "") throw new SettingError(`${variable} names no proxy host; ${proxyExample}`);
  return proxyUrl;
}

/** A SettingError when a SOCKS proxy cannot take these credentials (RFC 1929: 255 bytes at most, no NUL). */
function checkSocksCredentials(login: { user: string; password: string }, variable: string): void {
  for (const [what, text] of [
    ["user name", login.user],
    ["password", login.password],
  ] as const)
    if (Buffer.byteLength(text) > 255 || text.includes("\0"))
      throw new SettingError(
        `${variable} has a ${what} a SOCKS proxy cannot take (more than 255 bytes, or a NUL character)`,
      );
}

/**
 * The proxy that requests to `url` go through, from the proxy variables of `environment`, and the variable
 * that named it; undefined when they go direct. A SettingError when the variable is not a usable proxy URL.
 */
export function proxyFor(
  url: URL,
  environment: NodeJS.ProcessEnv,
): { variable: string; proxyUrl: URL } | undefined {
  const hostname = bareHost(url.hostname);
  // localhost, *.localhost, 127.0.0.0/8 and ::1 (also written IPv4-mapped) never go through a proxy.
  if (endpointPlace(hostname) === "loopback") return undefined;
  const names = url.protocol === "https:" ? ["https_proxy", "HTTPS_PROXY"] : ["http_proxy", "HTTP_PROXY"];
  const proxy = firstSet(environment, names) ?? firstSet(environment, ["all_proxy", "ALL_PROXY"]);
  if (proxy === undefined) return undefined;
  const port = Number(url.port) || (url.protocol === "https:" ? 443 : 80);
  const noProxy = firstSet(environment, ["no_proxy", "NO_PROXY"]);
  if (noProxy && exemptFromProxy(hostname, port, noProxy[1])) return undefined;
  const [variable, value] = proxy;
  return { variable, proxyUrl: proxyUrlOf(variable, value) };
}

/** The route for requests to `url`, from the proxy variables of `environment`. */
export function routeFor(url: URL, environment: NodeJS.ProcessEnv): Route {
  const proxy = proxyFor(url, environment);
  if (proxy === undefined) return directRoute;
  const { variable, proxyUrl } = proxy;
  const login = credentials(proxyUrl, variable);
  const socks = proxyUrl.protocol !== "http:" && proxyUrl.protocol !== "https:";
  if (socks && login !== undefined) checkSocksCredentials(login, variable);
  const key = proxyUrl.href;
  let dispatcher = proxyAgents.get(key);
  if (dispatcher === undefined) {
    // A user name alone is sent as "user:" (curl does the same).
    const authorization =
      login === undefined
        ? undefined
        : `Basic ${Buffer.from(`${login.user}:${login.password}`).toString("base64")}`;
    const connect = socks ? socksConnector(proxyUrl, login) : tunnelConnector(proxyUrl, authorization);
    dispatcher = new Agent({ ...timeouts, connect });
    proxyAgents.set(key, dispatcher);
  }
  // Only the password is scrubbed: a user name is often an ordinary word ("proxy", "user").
  return {
    dispatcher,
    proxyVariable: variable,
    ...(login !== undefined && login.password !== "" ? { proxySecrets: [login.password] } : {}),
  };
}

/**
 * Closes every connection of every route, so a finished command exits at once even when a proxy left a
 * tunnel half open. Only for the end of a process: the routes cannot be used afterwards.
 */
export async function closeAllRoutes(): Promise<void> {
  abandonPendingTunnels();
  await Promise.all(
    [directRoute.dispatcher, ...proxyAgents.values()].map((dispatcher) => dispatcher.destroy()),
  );
}
closeWithRoutes(closeAllRoutes);

/** The failure-context fields of a route: the proxy variable to name when the proxy fails. */
export function routeContext(route: Route | undefined): { proxyVariable?: string } {
  return route?.proxyVariable === undefined ? {} : { proxyVariable: route.proxyVariable };
}
