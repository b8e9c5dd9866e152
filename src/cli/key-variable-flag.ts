/**
 * `--api-key-env VAR` (and `--reference-api-key-env`): the NAME of the environment variable that holds a
 * model's key, as a config's `api-key-env` is. Without it, a model reads its provider's usual variable,
 * so a target on your own OpenAI-compatible endpoint and an OpenAI reference would share OPENAI_API_KEY.
 */
import { InputError } from "../errors.ts";
import { environmentWithKey } from "../models/key-variables.ts";
import { looksLikeKey } from "../secrets/looks-like-key.ts";

/**
 * The environment for the model `id` whose key is in `variable` (the value of `flag`); the environment as
 * it is when the flag is absent. A variable that is unset, or a value that looks like a key itself, is an
 * InputError that never shows the value.
 */
export function environmentForKeyFlag(
  id: string,
  variable: string | undefined,
  flag: string,
  environment: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  if (variable === undefined) return environment;
  if (looksLikeKey(variable) || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable))
    throw new InputError(
      `${flag} takes the NAME of an environment variable, not a key (the value is not shown): export MY_KEY=... and pass ${flag} MY_KEY`,
    );
  const key = environment[variable];
  if (key === undefined || key === "")
    throw new InputError(
      `${flag} ${variable}: the environment variable ${variable} is not set (export it first)`,
    );
  return environmentWithKey(id, key, environment);
}
