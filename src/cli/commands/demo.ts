import type { Command } from "commander";
import { InputError } from "../../errors.ts";
import { terminalSafe } from "../../text/terminal-text.ts";
import { globalFlags, resolveHome } from "../common.ts";
import { isStandardOutput } from "../result-output.ts";

interface DemoCommandOptions {
  alpacaeval?: string;
  lee2025?: string;
  out: string;
  offline?: boolean;
}

/** `distillscope demo`: lineage and ICE re-judging on public data, compared with the paper. */
export function register(program: Command): void {
  program
    .command("demo")
    .description(
      "download public corpora (or use local copies), re-judge the paper's identity transcripts, attribute AlpacaEval lineage, write the report",
    )
    .option("--alpacaeval <dir>", "local AlpacaEval results folder (<dir>/<model>/model_outputs.json)")
    .option(
      "--lee2025 <dir>",
      "local copy of the paper's identity_jailbreak/data (attack_result/, strict_score/)",
    )
    .option("--out <dir>", "output directory for results, report and manifest", "distillscope-demo")
    .option("--offline", "never download: use local copies or what an earlier run downloaded")
    .addHelpText(
      "after",
      "\nExample:\n  distillscope demo --alpacaeval ../shared/data/alpacaeval/results --lee2025 ../shared/data/identity-lee2025 --out demo-report",
    )
    .action(async (options: DemoCommandOptions, command: Command) => {
      // `-` means standard output for the commands that write one document; the demo writes a folder.
      if (isStandardOutput(options.out))
        throw new InputError(
          "--out -: the demo writes a folder (results, report and manifest), not one document; give a folder, e.g. --out demo-report",
        );
      // Loaded here, not at the top, so that every other command starts without the demo's code.
      const { runDemo } = await import("../../demo/run.ts");
      const globals = globalFlags(command);
      const home = resolveHome(globals);
      const outcome = await runDemo({
        home,
        out: options.out,
        alpacaevalDirectory: options.alpacaeval,
        lee2025Directory: options.lee2025,
        offline: options.offline === true,
        environment: process.env,
        log: globals.quiet ? undefined : (line) => process.stderr.write(`${terminalSafe(line)}\n`),
      });
      // The summary quotes downloaded corpora (model names, answers): no terminal controls reach the screen.
      if (!globals.quiet) process.stdout.write(`${terminalSafe(outcome.summary)}\n`);
    });
}
