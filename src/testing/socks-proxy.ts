/**
 * A loopback SOCKS proxy for tests (SOCKS5 with no authentication or user name and password, RFC 1928
 * and 1929; SOCKS4 and 4a), CONNECT only. Like connect-proxy.ts it sends every tunnel to one loopback
 * port whatever the client asked for, so a test can use a made-up public host name, and records each
 * CONNECT. It can also refuse with a reply code, stall after the request, or send stray bytes with its
 * answer.
 */
import { createServer, type Socket, connect as tcpConnect } from "node:net";

export interface SocksConnect {
  version: 4 | 5;
  /** "host:port" as the client sent it (IPv6 in brackets, written out in full groups). */
  target: string;
  /** Whether the client sent a host name for the proxy to resolve (SOCKS5 domain name, SOCKS4a). */
  byName: boolean;
  /** The user name it logged in with (SOCKS5) or sent as its user id (SOCKS4), if any. */
  user?: string;
}

export interface SocksProxy {
  /** 127.0.0.1:port, to put after "socks5://" or another SOCKS scheme. */
  address: string;
  connects: SocksConnect[];
  /** TCP connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/** Reads a socket's bytes on demand: `take(n)` resolves with the next n bytes, or rejects once it closed. */
function byteReader(socket: Socket): {
  take(count: number): Promise<Buffer>;
  takeUntilNul(): Promise<Buffer>;
  stop(): Buffer;
} {
  let buffered = Buffer.alloc(0);
  let ended = false;
  let wake: (() => void) | undefined;
  const onData = (chunk: Buffer): void => {
    buffered = Buffer.concat([buffered, chunk]);
    wake?.();
  };
  const onEnd = (): void => {
    ended = true;
    wake?.();
  };
  socket.on("data", onData);
  socket.on("close", onEnd);
  const waitFor = async (enough: () => number | undefined): Promise<Buffer> => {
    for (;;) {
      const count = enough();
      if (count !== undefined) {
        const taken = buffered.subarray(0, count);
        buffered = buffered.subarray(count);
        return taken;
      }
      if (ended) throw new Error("closed");
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
  };
  return {
    take: (count) => waitFor(() => (buffered.length >= count ? count : undefined)),
    takeUntilNul: async () => {
      const withNul = await waitFor(() => {
        const end = buffered.indexOf(0);
        return end === -1 ? undefined : end + 1;
      });
      return withNul.subarray(0, -1);
    },
    stop: () => {
      socket.off("data", onData);
      socket.off("close", onEnd);
      return buffered;
    },
  };
}

function ipv6Text(bytes: Buffer): string {
  const groups: string[] = [];
  for (let index = 0; index < 16; index += 2) groups.push(bytes.readUInt16BE(index).toString(16));
  return groups.join(":");
}

export async function startSocksProxy(options: {
  /** The loopback port every tunnel goes to. */
  targetPort: number;
  /** "user:password" the proxy demands (SOCKS5 user name and password; SOCKS4: the user id "user"). */
  credentials?: string;
  /**
   * How it misbehaves: "stall" reads the request and never answers, "trailing" sends bytes after its
   * success answer, a number answers the request with that SOCKS5 reply code (SOCKS4: 91). Default: tunnels.
   */
  fault?: "stall" | "trailing" | number;
}): Promise<SocksProxy> {
  const connects: SocksConnect[] = [];
  let connections = 0;
  const sockets = new Set<Socket>();
  const separator = options.credentials?.indexOf(":") ?? -1;
  const wantedUser = options.credentials?.slice(0, separator);
  const wantedPassword = options.credentials?.slice(separator + 1);

  /** Opens the tunnel to the target port, then answers with `success` and pipes both ways. */
  const tunnel = (client: Socket, reader: ReturnType<typeof byteReader>, success: Buffer): void => {
    const upstream = tcpConnect(options.targetPort, "127.0.0.1", () => {
      client.write(options.fault === "trailing" ? Buffer.concat([success, Buffer.from("stray")]) : success);
      const rest = reader.stop();
      if (rest.length > 0) upstream.write(rest);
      client.pipe(upstream).pipe(client);
    });
    sockets.add(upstream);
    upstream.on("close", () => sockets.delete(upstream));
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
  };

  const serveSocks5 = async (client: Socket, reader: ReturnType<typeof byteReader>): Promise<void> => {
    const methods = await reader.take((await reader.take(1))[0]!);
    const method = wantedUser === undefined ? 0 : 2;
    if (!methods.includes(method)) {
      client.end(Buffer.from([5, 0xff]));
      return;
    }
    client.write(Buffer.from([5, method]));
    let user: string | undefined;
    if (method === 2) {
      await reader.take(1); // sub-negotiation version (1)
      user = (await reader.take((await reader.take(1))[0]!)).toString();
      const password = (await reader.take((await reader.take(1))[0]!)).toString();
      if (user !== wantedUser || password !== wantedPassword) {
        client.end(Buffer.from([1, 1]));
        return;
      }
      client.write(Buffer.from([1, 0]));
    }
    const [, command, , addressType] = await reader.take(4);
    let host: string;
    if (addressType === 1) host = [...(await reader.take(4))].join(".");
    else if (addressType === 3) host = (await reader.take((await reader.take(1))[0]!)).toString();
    else host = `[${ipv6Text(await reader.take(16))}]`;
    const port = (await reader.take(2)).readUInt16BE(0);
    const failure = (code: number): Buffer => Buffer.from([5, code, 0, 1, 0, 0, 0, 0, 0, 0]);
    if (command !== 1) {
      client.end(failure(7));
      return;
    }
    connects.push({
      version: 5,
      target: `${host}:${port}`,
      byName: addressType === 3,
      ...(user ? { user } : {}),
    });
    if (options.fault === "stall") return;
    if (typeof options.fault === "number") {
      client.end(failure(options.fault));
      return;
    }
    tunnel(client, reader, Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, 0, 0]));
  };

  const serveSocks4 = async (client: Socket, reader: ReturnType<typeof byteReader>): Promise<void> => {
    const command = (await reader.take(1))[0];
    const port = (await reader.take(2)).readUInt16BE(0);
    const address = await reader.take(4);
    const user = (await reader.takeUntilNul()).toString();
    // SOCKS4a: an address 0.0.0.x (x not 0) means a host name follows the user id.
    const byName = address[0] === 0 && address[1] === 0 && address[2] === 0 && address[3] !== 0;
    const host = byName ? (await reader.takeUntilNul()).toString() : [...address].join(".");
    const answer = (code: number): Buffer => Buffer.from([0, code, 0, 0, 0, 0, 0, 0]);
    if (command !== 1) {
      client.end(answer(91));
      return;
    }
    if (wantedUser !== undefined && user !== wantedUser) {
      client.end(answer(93));
      return;
    }
    connects.push({ version: 4, target: `${host}:${port}`, byName, ...(user ? { user } : {}) });
    if (options.fault === "stall") return;
    if (typeof options.fault === "number") {
      client.end(answer(91));
      return;
    }
    tunnel(client, reader, answer(90));
  };

  const server = createServer((client) => {
    connections++;
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => {});
    const reader = byteReader(client);
    reader
      .take(1)
      .then(([version]) => {
        if (version === 5) return serveSocks5(client, reader);
        if (version === 4) return serveSocks4(client, reader);
        client.destroy();
        return undefined;
      })
      .catch(() => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    address: `127.0.0.1:${port}`,
    connects,
    connections: () => connections,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
