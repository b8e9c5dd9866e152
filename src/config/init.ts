import { existsSync, writeFileSync } from "node:fs";
import { InputError } from "../errors.ts";
import { exampleConfigText } from "./example.ts";

export interface InitOptions {
  out: string;
  force?: boolean;
  /** The `$schema` reference of the yaml-language-server comment. */
  schemaReference?: string;
}

/** Writes the commented example config; refuses to overwrite an existing file unless `force`. */
export function writeExampleConfig(options: InitOptions): string {
  if (existsSync(options.out) && !options.force) {
    throw new InputError(
      `${options.out} already exists: pass --force to overwrite it, or --out <other file>`,
    );
  }
  writeFileSync(options.out, exampleConfigText(options.schemaReference));
  return options.out;
}
