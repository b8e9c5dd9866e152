import type { Command } from "commander";
import { globalFlags } from "../common.ts";
import { isStandardOutput } from "../result-output.ts";

/** `distillscope init`: writes a commented example distillscope.yaml. */
export function register(program: Command): void {
  program
    .command("init")
    .description("write a commented example distillscope.yaml")
    .option("--out <file>", "where to write it (- for standard output)", "distillscope.yaml")
    .option("--force", "overwrite an existing file")
    .addHelpText(
      "after",
      "\nExample:\n  distillscope init --out distillscope.yaml && distillscope audit -c distillscope.yaml",
    )
    .action(async (options: { out: string; force?: boolean }, command: Command) => {
      // Loaded here, not at the top: the config code (zod, yaml) would slow every command's start-up.
      if (isStandardOutput(options.out)) {
        const { exampleConfigText } = await import("../../config/example.ts");
        process.stdout.write(exampleConfigText());
        return;
      }
      const { writeExampleConfig } = await import("../../config/init.ts");
      const written = writeExampleConfig({ out: options.out, force: options.force === true });
      if (!globalFlags(command).quiet) {
        process.stdout.write(`wrote ${written}\nnext: edit it, then run: distillscope audit -c ${written}\n`);
      }
    });
}
