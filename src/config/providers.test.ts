import assert from "node:assert/strict";
import test from "node:test";
import { knownProviders as registryProviders } from "../models/registry.ts";
import { knownProviders } from "./providers.ts";

test("the config accepts exactly the providers the model registry can build", () => {
  assert.deepEqual([...knownProviders()], [...registryProviders]);
  for (const provider of ["openai", "anthropic", "google", "ollama", "replay", "deepseek", "vllm"])
    assert.ok(knownProviders().includes(provider), provider);
  assert.equal(knownProviders().includes("fireworks"), false, "no preset, so no config entry either");
});
