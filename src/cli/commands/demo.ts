import type { Command } from "commander";

// Placeholder until the command is built; replaced by its owner.
export function register(program: Command): void {
  program
    .command("demo")
    .description("(not built yet)")
    .action(() => {
      throw new Error("distillscope demo is not built yet");
    });
}
