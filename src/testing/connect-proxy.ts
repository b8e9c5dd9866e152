/**
 * A loopback forward proxy for tests: answers HTTP CONNECT by opening a tunnel, and sends every tunnel to
 * one loopback port whatever host the client asked for (so a test can use a made-up public host name that
 * the client never resolves itself). Records each CONNECT target; can demand Basic credentials (407),
 * stall, close at once, answer 200 with a body or with stray bytes, or refuse with a status.
 */
import { createServer, type Socket, connect as tcpConnect } from "node:net";

export interface ConnectProxy {
  /** http://127.0.0.1:port */
  url: string;
  /** "host:port" of each CONNECT, in order. */
  connects: string[];
  /** The Proxy-Authorization header of each CONNECT (undefined when absent), in order. */
  authorizations: (string | undefined)[];
  /** TCP connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

export async function startConnectProxy(options: {
  /** The loopback port every tunnel goes to. */
  targetPort: number;
  /** "user:password" the proxy demands in Proxy-Authorization; none when absent. */
  credentials?: string;
  /**
   * How it misbehaves: "stall" reads CONNECT and never answers, "close" closes every connection at once,
   * a number answers CONNECT with that status. Default: tunnels.
   */
  fault?: "stall" | "close" | "body" | "trailing" | number;
  /** The address to listen on (default 127.0.0.1; "::1" for an IPv6 proxy). */
  host?: string;
}): Promise<ConnectProxy> {
  const connects: string[] = [];
  const authorizations: (string | undefined)[] = [];
  let connections = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    connections++;
    sockets.add(client);
    if (options.fault === "close") {
      client.destroy();
      return;
    }
    client.on("close", () => sockets.delete(client));
    client.on("error", () => {});
    let head = "";
    const onData = (chunk: Buffer): void => {
      head += chunk.toString("latin1");
      const end = head.indexOf("\r\n\r\n");
      if (end === -1) return;
      client.off("data", onData);
      const [requestLine = "", ...headerLines] = head.slice(0, end).split("\r\n");
      const [method, target] = requestLine.split(" ");
      if (method !== "CONNECT" || target === undefined) {
        client.end("HTTP/1.1 405 Method Not Allowed\r\ncontent-length: 0\r\n\r\n");
        return;
      }
      if (options.fault === "stall") return;
      if (options.fault === "body") {
        client.write("HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello");
        return;
      }
      if (options.fault === "trailing") {
        client.write("HTTP/1.1 200 Connection Established\r\n\r\nunexpected bytes");
        return;
      }
      if (typeof options.fault === "number") {
        client.end(`HTTP/1.1 ${options.fault} Refused\r\ncontent-length: 0\r\n\r\n`);
        return;
      }
      const authorization = headerLines
        .find((line) => line.toLowerCase().startsWith("proxy-authorization:"))
        ?.slice("proxy-authorization:".length)
        .trim();
      const expected =
        options.credentials === undefined
          ? undefined
          : `Basic ${Buffer.from(options.credentials).toString("base64")}`;
      authorizations.push(authorization);
      if (expected !== undefined && authorization !== expected) {
        client.end(
          'HTTP/1.1 407 Proxy Authentication Required\r\nproxy-authenticate: Basic realm="test"\r\ncontent-length: 0\r\n\r\n',
        );
        return;
      }
      connects.push(target);
      const upstream = tcpConnect(options.targetPort, "127.0.0.1", () => {
        client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        const rest = Buffer.from(head.slice(end + 4), "latin1");
        if (rest.length > 0) upstream.write(rest);
        client.pipe(upstream).pipe(client);
      });
      sockets.add(upstream);
      upstream.on("close", () => sockets.delete(upstream));
      upstream.on("error", () => client.destroy());
      client.on("close", () => upstream.destroy());
    };
    client.on("data", onData);
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    connects,
    authorizations,
    connections: () => connections,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
