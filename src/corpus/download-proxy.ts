/**
 * The downloader uses Node's fetch, which honours HTTP_PROXY, HTTPS_PROXY and NO_PROXY when
 * NODE_USE_ENV_PROXY=1 is set, but only from Node 24: Node 22.13 (the engines floor) ignores the variable
 * and goes straight out (seen on 22.13.0: no connection reached the proxy). Before Node 24 the downloader
 * therefore hands fetch undici's EnvHttpProxyAgent itself, the class Node 24 uses for this; from Node 24
 * on, Node does it and nothing is added.
 */
import { type Dispatcher, EnvHttpProxyAgent } from "undici";

let agent: EnvHttpProxyAgent | undefined;

/** Whether this Node's own fetch follows NODE_USE_ENV_PROXY (Node 24 and later). */
export function fetchHonoursEnvProxy(nodeVersion: string = process.versions.node): boolean {
  return Number(nodeVersion.split(".")[0]) >= 24;
}

/** The dispatcher a download's fetch needs, or undefined when Node's default (with its own proxy handling) is right. */
export function downloadDispatcher(
  environment: NodeJS.ProcessEnv = process.env,
  nodeVersion: string = process.versions.node,
): Dispatcher | undefined {
  if (environment.NODE_USE_ENV_PROXY !== "1" || fetchHonoursEnvProxy(nodeVersion)) return undefined;
  agent ??= new EnvHttpProxyAgent();
  return agent;
}
