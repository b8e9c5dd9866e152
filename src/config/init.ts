import { existsSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { InputError } from "../errors.ts";
import { folderProblem, makeFolder } from "../files/make-folder.ts";
import { exampleConfigText } from "./example.ts";

export interface InitOptions {
  out: string;
  force?: boolean;
  /** The `$schema` reference of the yaml-language-server comment. */
  schemaReference?: string;
}

/**
 * Writes the commented example config; refuses to overwrite an existing file unless `force`, and refuses
 * a folder. A folder on the way that does not exist yet is made, as every other `--out` does.
 */
export function writeExampleConfig(options: InitOptions): string {
  if (existsSync(options.out)) {
    if (statSync(options.out).isDirectory()) {
      throw new InputError(
        `${options.out} is a folder: give --out a file name, e.g. ${options.out}/distillscope.yaml`,
      );
    }
    if (!options.force) {
      throw new InputError(
        `${options.out} already exists: pass --force to overwrite it, or --out <other file>`,
      );
    }
  }
  try {
    makeFolder(dirname(options.out));
  } catch (error) {
    throw new InputError(`--out ${options.out}: ${folderProblem(error)}; check the path`);
  }
  writeFileSync(options.out, exampleConfigText(options.schemaReference));
  return options.out;
}
