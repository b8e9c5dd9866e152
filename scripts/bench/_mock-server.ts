/**
 * Child process of the collect benchmarks: runs engineer A's loopback mock provider server on its own
 * CPU, so that the client being measured does not share a thread with the server.
 * The parent sends {type: "start", options, respond?: "truth"}; gets {type: "ready", url, openaiBaseUrl};
 * sends {type: "stats"} / {type: "set", options} / {type: "close"}.
 */
import { startMockProviderServer } from "../../src/testing/mock-provider-server.ts";
import { trueAnswer } from "./_collect-common.ts";

type ParentMessage =
  | { type: "start"; options: Record<string, unknown>; respond?: "truth" }
  | { type: "stats" }
  | { type: "set"; options: Record<string, unknown> }
  | { type: "close" };

let server: Awaited<ReturnType<typeof startMockProviderServer>> | undefined;

process.on("message", async (message: ParentMessage) => {
  if (message.type === "start") {
    server = await startMockProviderServer({
      ...message.options,
      ...(message.respond === "truth" ? { respond: (input) => trueAnswer(input.messages) } : {}),
    });
    process.send?.({ type: "ready", url: server.url, openaiBaseUrl: server.openaiBaseUrl });
  } else if (message.type === "stats") {
    const stats = server!.stats();
    process.send?.({
      type: "stats",
      requests: stats.requests,
      byStatus: stats.byStatus,
      successfulByPrompt: Object.fromEntries(stats.successfulByPrompt),
    });
  } else if (message.type === "set") {
    server!.setOptions(message.options);
    process.send?.({ type: "set" });
  } else if (message.type === "close") {
    await server?.close();
    process.exit(0);
  }
});
