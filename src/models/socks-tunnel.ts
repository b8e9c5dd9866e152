/**
 * Connections through a SOCKS proxy (socks4, socks4a, socks5, socks5h URLs): an undici connector that
 * opens a TCP connection to the proxy, runs the SOCKS handshake with the `socks` library, and hands the
 * connection to undici (wrapped in TLS for https: origins, by undici's own connector).
 *
 * As curl reads the schemes: socks4 and socks5 resolve the origin's host name here and send the proxy an
 * address; socks4a and socks5h send the name and let the proxy resolve it (what an SSH tunnel to a
 * private network needs). It fails the way proxy-tunnel.ts does: bounded waits, and every failure of the
 * proxy is a ProxyTunnelError (never the library's error, whose fields hold the proxy password), which
 * undici hands to the waiting requests instead of reconnecting.
 */
import { lookup } from "node:dns/promises";
import { isIP, type Socket } from "node:net";
import { SocksClient, type SocksClientError } from "socks";
import { buildConnector } from "undici";
import {
  continueOverTunnel,
  holdPendingTunnel,
  maximumTunnelsPerSecond,
  type ProxyRefusal,
  ProxyTunnelError,
  proxyAnswerTimeoutMs,
  proxyConnectTimeoutMs,
  tunnelRateLimit,
} from "./proxy-tunnel.ts";

/** The URL schemes of SOCKS proxies, without the colon. */
export const socksSchemes = ["socks4", "socks4a", "socks5", "socks5h"] as const;

/** SOCKS proxies listen on 1080 unless the URL says otherwise. */
const defaultSocksPort = "1080";

/** Finds an address for a host name (node:dns lookup by default; tests give their own). */
export type AddressLookup = (host: string, family: 0 | 4) => Promise<string>;

const systemLookup: AddressLookup = async (host, family) => (await lookup(host, { family })).address;

/**
 * An undici connector that reaches every origin through the SOCKS proxy at `proxy` (a socks4:, socks4a:,
 * socks5: or socks5h: URL), with `login` for SOCKS5 user name and password authentication (SOCKS4 sends
 * the user name as its user id).
 */
export function socksConnector(
  proxy: URL,
  login: { user: string; password: string } | undefined,
  limits: {
    connectTimeoutMs?: number;
    answerTimeoutMs?: number;
    tunnelsPerSecond?: number;
    lookup?: AddressLookup;
  } = {},
): buildConnector.connector {
  const scheme = proxy.protocol.slice(0, -1);
  const version = scheme.startsWith("socks4") ? 4 : 5;
  const proxyResolves = scheme === "socks4a" || scheme === "socks5h";
  const toProxy = buildConnector({ timeout: limits.connectTimeoutMs ?? proxyConnectTimeoutMs });
  const toOrigin = buildConnector({});
  const proxyHost = proxy.hostname.replace(/^\[(.*)\]$/, "$1");
  const proxyPort = proxy.port || defaultSocksPort;
  const answerTimeoutMs = limits.answerTimeoutMs ?? proxyAnswerTimeoutMs;
  const findAddress = limits.lookup ?? systemLookup;
  const countTunnel = tunnelRateLimit(limits.tunnelsPerSecond ?? maximumTunnelsPerSecond);
  return (options, callback) => {
    const tooMany = countTunnel();
    if (tooMany !== undefined) {
      callback(tooMany, null);
      return;
    }
    const host = options.hostname.replace(/^\[(.*)\]$/, "$1");
    const port = Number(options.port || (options.protocol === "https:" ? 443 : 80));
    if (version === 4 && isIP(host) === 6) {
      callback(
        new ProxyTunnelError(
          `a SOCKS4 proxy cannot reach the IPv6 address ${host}; use a socks5:// proxy`,
          undefined,
          undefined,
          "destination",
        ),
        null,
      );
      return;
    }
    // The origin's address, found here unless the proxy resolves names. A failed lookup is the origin's
    // fault (ENOTFOUND), reported as it would be without a proxy.
    const destination =
      proxyResolves || isIP(host) !== 0 ? Promise.resolve(host) : findAddress(host, version === 4 ? 4 : 0);
    destination.then(
      (address) =>
        toProxy({ hostname: proxyHost, protocol: "http:", port: proxyPort }, (error, socket) => {
          if (error !== null || socket === null) {
            const code = (error as { code?: string } | null)?.code;
            callback(
              new ProxyTunnelError(
                `cannot connect to the proxy (${code ?? error?.message})`,
                undefined,
                code,
              ),
              null,
            );
            return;
          }
          handshake(socket as Socket, { host: address, port }, (tunnelError) =>
            continueOverTunnel(socket as Socket, tunnelError, options, toOrigin, callback),
          );
        }),
      (error: unknown) => callback(error as Error, null),
    );
  };

  /** Runs the SOCKS handshake on `socket`; calls `done()` once, with an error unless the proxy connected. */
  function handshake(
    socket: Socket,
    target: { host: string; port: number },
    done: (error?: ProxyTunnelError) => void,
  ): void {
    const release = holdPendingTunnel(socket);
    let networkCode: string | undefined;
    const onError = (error: Error): void => {
      networkCode = (error as { code?: string }).code;
    };
    socket.on("error", onError);
    const finish = (error?: ProxyTunnelError): void => {
      release();
      socket.off("error", onError);
      done(error);
    };
    SocksClient.createConnection(
      {
        command: "connect",
        destination: target,
        existing_socket: socket,
        timeout: answerTimeoutMs,
        proxy: {
          host: proxyHost,
          port: Number(proxyPort),
          type: version,
          ...(login === undefined ? {} : { userId: login.user, password: login.password }),
        },
      },
      (error) => {
        if (error) {
          finish(tunnelErrorOf(error, target, networkCode, answerTimeoutMs));
          return;
        }
        // The origin speaks only after the client did: bytes that came with the proxy's answer are from a
        // broken proxy, and undici would read them as an answer to nothing, drop the connection and
        // reconnect. The library hands such bytes over on the next turn of the event loop; look there.
        let stray = false;
        const onStray = (): void => {
          stray = true;
        };
        socket.on("data", onStray);
        setImmediate(() => {
          socket.off("data", onStray);
          // Paused, so nothing is emitted to nobody before undici attaches its own reader.
          socket.pause();
          if (stray)
            finish(new ProxyTunnelError("the proxy sent data before the client did, after its SOCKS answer"));
          else if (socket.destroyed)
            finish(new ProxyTunnelError("the connection to the proxy closed right after its SOCKS answer"));
          else finish();
        });
      },
    );
  }
}

/** The library's SOCKS reply names (its enums) that mean asking again cannot help, by what is refused. */
const refusals: Record<string, ProxyRefusal> = {
  NotAllowed: "destination",
  CommandNotSupported: "destination",
  AddressNotSupported: "destination",
  Rejected: "credentials",
  RejectedIdent: "credentials",
};

/**
 * Our error for the library's: a message of our own from its reason (its error object also holds the
 * options it was given, password included, so it goes no further).
 */
function tunnelErrorOf(
  error: SocksClientError | Error,
  target: { host: string; port: number },
  networkCode: string | undefined,
  answerTimeoutMs: number,
): ProxyTunnelError {
  const reason = error.message;
  const destination = `${target.host.includes(":") ? `[${target.host}]` : target.host}:${target.port}`;
  if (reason === "Socks5 Authentication failed")
    return new ProxyTunnelError(
      "the SOCKS5 proxy refused the user name and password",
      undefined,
      undefined,
      "credentials",
    );
  if (reason.includes("no accepted authentication type"))
    return new ProxyTunnelError(
      "the SOCKS5 proxy accepts none of the offered ways to log in",
      undefined,
      undefined,
      "credentials",
    );
  const rejected = /proxy rejected connection - \(?(\w+)\)?$/i.exec(reason);
  if (rejected) {
    const answer = rejected[1]!;
    return new ProxyTunnelError(
      `the SOCKS proxy answered ${answer} to CONNECT ${destination}`,
      undefined,
      undefined,
      refusals[answer],
    );
  }
  if (reason === "Proxy connection timed out")
    return new ProxyTunnelError(
      `the proxy did not finish the SOCKS handshake within ${answerTimeoutMs / 1000} s`,
    );
  if (reason === "Socket closed")
    return new ProxyTunnelError(
      "the proxy closed the connection before answering the SOCKS handshake",
      undefined,
      networkCode,
    );
  if (reason.startsWith("Invalid SOCKS client options"))
    return new ProxyTunnelError(`the SOCKS request could not be made (${reason})`);
  if (networkCode !== undefined)
    return new ProxyTunnelError(
      `the connection to the proxy failed (${networkCode})`,
      undefined,
      networkCode,
    );
  return new ProxyTunnelError("the proxy's answer is not SOCKS");
}
