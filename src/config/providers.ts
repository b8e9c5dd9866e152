/**
 * Provider prefixes a config may name: exactly the model registry's list (src/models/registry.ts, its
 * adapters plus the presets of src/models/presets.ts), so the config check and `createModel` cannot drift.
 */
import { knownProviders as registryProviders } from "../models/registry.ts";

/** The provider prefixes a config may use. */
export function knownProviders(): readonly string[] {
  return registryProviders;
}
