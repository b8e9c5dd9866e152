/**
 * Error classes shared by the library. The CLI turns them into one line and an exit code:
 * InputError -> 2, RuntimeFailure -> 3, ThresholdCrossed -> 1. Messages never contain secrets.
 */

/** Bad usage, config or input (exit 2). The message names the file, line or field, and the fix. */
export class InputError extends Error {
  override name = "InputError";
}

/**
 * A bad setting that applies to every model call, not to one config entry (the proxy variables): reported
 * as it is, without the path of the config entry that happened to meet it first (exit 2).
 */
export class SettingError extends InputError {
  override name = "SettingError";
}

/** A runtime failure that retries could not overcome: network, provider, disk (exit 3). */
export class RuntimeFailure extends Error {
  override name = "RuntimeFailure";
}

/** A --fail-on threshold was crossed (exit 1). */
export class ThresholdCrossed extends Error {
  override name = "ThresholdCrossed";
}

export const exitCodes = { success: 0, thresholdCrossed: 1, usage: 2, runtime: 3 } as const;

export function exitCodeFor(error: unknown): number {
  if (error instanceof ThresholdCrossed) return exitCodes.thresholdCrossed;
  if (error instanceof InputError) return exitCodes.usage;
  if (error instanceof Error && (error as { code?: string }).code?.startsWith("commander."))
    return exitCodes.usage;
  return exitCodes.runtime;
}
