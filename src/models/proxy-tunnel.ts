/**
 * Connections through an HTTP(S) proxy: a CONNECT tunnel per connection, opened by an undici connector.
 *
 * Why not undici's ProxyAgent: its CONNECT request runs on a client of its own that neither sees the
 * request's abort signal nor our timeouts (a proxy that never answers held a request for 300 s), and a
 * proxy that closes the connection at once fails with an error undici treats as "reconnect and try
 * again", so one request turned into thousands of connections a second. Here the tunnel is opened in one
 * place with bounded waits, and every way it can fail is a ProxyTunnelError, which undici hands to the
 * waiting requests instead of reconnecting.
 */
import { isIP, type Socket } from "node:net";
import { buildConnector } from "undici";

/** Waiting for the proxy's answer to CONNECT, after the connection to it is open. */
export const proxyAnswerTimeoutMs = 30_000;
/** Opening the TCP (or TLS) connection to the proxy. */
export const proxyConnectTimeoutMs = 10_000;
/** The longest CONNECT answer head we read before calling the proxy broken. */
const maximumHeadBytes = 16 * 1024;
/**
 * More tunnels than this opened through one proxy within a second means the proxy drops them as soon as
 * they are used: undici reconnects after such a loss, so without a limit one request can turn into
 * thousands of connections a second. Far above what keep-alive connections need (one per connection).
 */
export const maximumTunnelsPerSecond = 500;

/**
 * Tunnels still waiting for the proxy's answer (undici does not hold them yet), HTTP CONNECT and SOCKS
 * alike, for `abandonPendingTunnels`.
 */
const handshaking = new Set<Socket>();

/** Counts `socket` as a tunnel waiting for its proxy's answer until the returned function is called. */
export function holdPendingTunnel(socket: Socket): () => void {
  handshaking.add(socket);
  return () => handshaking.delete(socket);
}

/** Closes every tunnel still waiting for its proxy's answer (at the end of a process). */
export function abandonPendingTunnels(): void {
  for (const socket of handshaking) socket.destroy();
  handshaking.clear();
}

/**
 * Why a proxy turned a tunnel down, when asking again cannot help: it wants (other) credentials, or it
 * does not allow this destination.
 */
export type ProxyRefusal = "credentials" | "destination";

/** A tunnel that could not be opened: the proxy refused, closed, stalled or could not be reached. */
export class ProxyTunnelError extends Error {
  /** Not "UND_ERR_SOCKET": undici then fails the waiting requests instead of reconnecting for ever. */
  readonly code = "PROXY_TUNNEL";
  /** The proxy's HTTP status for CONNECT, when it answered one. */
  readonly status: number | undefined;
  /** The network error code of the connection to the proxy (ECONNREFUSED...), when that failed. */
  readonly networkCode: string | undefined;
  /** Set when the proxy refused for good (from the CONNECT status, or the SOCKS reply). */
  readonly refusal: ProxyRefusal | undefined;
  constructor(message: string, status?: number, networkCode?: string, refusal?: ProxyRefusal) {
    super(message);
    this.status = status;
    this.networkCode = networkCode;
    this.refusal = refusal ?? refusalOfStatus(status);
    this.name = "ProxyTunnelError";
  }
}

/** 407 wants credentials; any other 4xx (403 forbidden, 405 no CONNECT, 400...) but 408 and 429 refuses. */
function refusalOfStatus(status: number | undefined): ProxyRefusal | undefined {
  if (status === 407) return "credentials";
  if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429)
    return "destination";
  return undefined;
}

/**
 * A limit of `perSecond` new tunnels through one proxy: the returned function counts one more and gives
 * the error to fail it with when the limit is crossed (see `maximumTunnelsPerSecond`).
 */
export function tunnelRateLimit(perSecond: number): () => ProxyTunnelError | undefined {
  let windowStart = 0;
  let tunnelsInWindow = 0;
  return () => {
    const now = Date.now();
    if (now - windowStart >= 1000) {
      windowStart = now;
      tunnelsInWindow = 0;
    }
    if (++tunnelsInWindow <= perSecond) return undefined;
    return new ProxyTunnelError(
      `more than ${perSecond} tunnels through the proxy within a second: it drops them as soon as they are used`,
    );
  };
}

/**
 * Once a tunnel through a proxy is open (HTTP CONNECT or SOCKS): on failure the socket is closed and the
 * error passed on; an http: origin then talks over the socket as it is, an https: origin over TLS on it.
 */
export function continueOverTunnel(
  socket: Socket,
  tunnelError: Error | undefined,
  options: buildConnector.Options,
  toOrigin: buildConnector.connector,
  callback: buildConnector.Callback,
): void {
  if (tunnelError !== undefined) {
    socket.destroy();
    callback(tunnelError, null);
    return;
  }
  if (options.protocol !== "https:") {
    callback(null, socket);
    return;
  }
  toOrigin({ ...options, httpSocket: socket }, callback);
}

/**
 * An undici connector that reaches every origin through the proxy at `proxy`: it connects to the proxy
 * (TLS when the proxy URL is https:), sends CONNECT host:port with `authorization` as
 * Proxy-Authorization, and on a 200 hands the tunnel to undici (wrapped in TLS for https: origins).
 */
export function tunnelConnector(
  proxy: URL,
  authorization: string | undefined,
  limits: { connectTimeoutMs?: number; answerTimeoutMs?: number; tunnelsPerSecond?: number } = {},
): buildConnector.connector {
  const toProxy = buildConnector({ timeout: limits.connectTimeoutMs ?? proxyConnectTimeoutMs });
  const answerTimeoutMs = limits.answerTimeoutMs ?? proxyAnswerTimeoutMs;
  const toOrigin = buildConnector({});
  const proxyPort = proxy.port || (proxy.protocol === "https:" ? "443" : "80");
  const proxyHost = proxy.hostname.replace(/^\[(.*)\]$/, "$1");
  const countTunnel = tunnelRateLimit(limits.tunnelsPerSecond ?? maximumTunnelsPerSecond);
  return (options, callback) => {
    const tooMany = countTunnel();
    if (tooMany !== undefined) {
      callback(tooMany, null);
      return;
    }
    const port = options.port || (options.protocol === "https:" ? "443" : "80");
    // undici gives IPv6 host names without brackets; CONNECT needs them ("[2001:db8::1]:443").
    const host =
      options.hostname.includes(":") && !options.hostname.startsWith("[")
        ? `[${options.hostname}]`
        : options.hostname;
    const target = `${host}:${port}`;
    toProxy(
      {
        hostname: proxyHost,
        protocol: proxy.protocol,
        port: proxyPort,
        // No server name for an IP address (TLS does not allow one).
        ...(isIP(proxyHost) === 0 ? { servername: proxyHost } : {}),
      },
      (error, socket) => {
        if (error !== null || socket === null) {
          const code = (error as { code?: string } | null)?.code;
          callback(
            new ProxyTunnelError(`cannot connect to the proxy (${code ?? error?.message})`, undefined, code),
            null,
          );
          return;
        }
        openTunnel(socket, target, authorization, answerTimeoutMs, (tunnelError) =>
          continueOverTunnel(socket, tunnelError, options, toOrigin, callback),
        );
      },
    );
  };
}

/** Sends CONNECT on `socket` and reads the answer head; calls `done()` once, with an error unless 200. */
function openTunnel(
  socket: Socket,
  target: string,
  authorization: string | undefined,
  answerTimeoutMs: number,
  done: (error?: ProxyTunnelError) => void,
): void {
  let head = Buffer.alloc(0);
  let finished = false;
  const release = holdPendingTunnel(socket);
  const finish = (error?: ProxyTunnelError): void => {
    if (finished) return;
    finished = true;
    release();
    clearTimeout(timer);
    socket.off("data", onData);
    socket.off("error", onError);
    socket.off("close", onClose);
    socket.setTimeout(0);
    done(error);
  };
  const timer = setTimeout(
    () => finish(new ProxyTunnelError(`the proxy did not answer CONNECT within ${answerTimeoutMs / 1000} s`)),
    answerTimeoutMs,
  );
  timer.unref();
  const onError = (error: Error): void =>
    finish(
      new ProxyTunnelError(
        `the connection to the proxy failed (${(error as { code?: string }).code ?? error.message})`,
      ),
    );
  const onClose = (): void =>
    finish(new ProxyTunnelError("the proxy closed the connection before answering CONNECT"));
  const onData = (chunk: Buffer): void => {
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf("\r\n\r\n");
    if (end === -1) {
      if (head.length > maximumHeadBytes)
        finish(new ProxyTunnelError("the proxy's answer to CONNECT is not HTTP"));
      return;
    }
    const statusLine = head.subarray(0, head.indexOf("\r\n")).toString("latin1");
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1];
    if (status === undefined) {
      finish(new ProxyTunnelError("the proxy's answer to CONNECT is not HTTP"));
      return;
    }
    if (status !== "200") {
      finish(new ProxyTunnelError(`the proxy answered ${status} to CONNECT ${target}`, Number(status)));
      return;
    }
    // A 200 answer to CONNECT has no body, and the origin speaks only after the client did: bytes after
    // the head, or a head announcing a body, come from a broken proxy. undici would read them as an answer
    // to nothing, drop the connection and reconnect, again and again.
    const announcesBody = /\r\n(?:content-length:\s*[1-9]|transfer-encoding:)/i.test(
      head.subarray(0, end).toString("latin1"),
    );
    if (announcesBody || head.length > end + 4) {
      finish(new ProxyTunnelError("the proxy sent a body with its 200 answer to CONNECT"));
      return;
    }
    // Paused, so nothing is emitted to nobody before undici attaches its own reader.
    socket.pause();
    finish();
  };
  socket.on("data", onData);
  socket.on("error", onError);
  socket.on("close", onClose);
  const lines = [`CONNECT ${target} HTTP/1.1`, `Host: ${target}`];
  if (authorization !== undefined) lines.push(`Proxy-Authorization: ${authorization}`);
  socket.write(`${lines.join("\r\n")}\r\n\r\n`);
}
