/** Runs an undici connector (a proxy tunnel) once; resolves with its error, or null (the socket is closed). */
import type { buildConnector } from "undici";

export function connectOnce(
  connector: buildConnector.connector,
  hostname: string,
  port = "80",
): Promise<Error | null> {
  return new Promise((resolve) =>
    connector({ hostname, protocol: "http:", port }, (...outcome) => {
      outcome[1]?.destroy();
      resolve(outcome[0]);
    }),
  );
}
