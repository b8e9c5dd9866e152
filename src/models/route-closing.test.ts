import assert from "node:assert/strict";
import test from "node:test";
import type { Agent } from "undici";
import { closeOpenRoutes } from "./route-closing.ts";

test("closing with no route module loaded does nothing and resolves", async () => {
  await closeOpenRoutes();
});

test("once route.ts is loaded, closing the open routes destroys its connection pools", async () => {
  const { directRoute } = await import("./route.ts");
  const agent = directRoute.dispatcher as Agent;
  assert.equal(agent.destroyed, false);
  await closeOpenRoutes();
  assert.equal(agent.destroyed, true);
});
