import type { Command } from "commander";
import { runAudit } from "../../audit/run.ts";
import { RuntimeFailure, ThresholdCrossed } from "../../errors.ts";
import { globalFlags, interruptSignal, resolveHome } from "../common.ts";

/** `distillscope audit -c distillscope.yaml`: every evaluation of the config, the report and the fail-on gate. */
export function register(program: Command): void {
  program
    .command("audit")
    .description("run the evaluations a distillscope.yaml names, write results and report, check fail-on")
    .requiredOption("-c, --config <file>", "the audit configuration (write one with: distillscope init)")
    .addHelpText(
      "after",
      "\nExit codes: 0 all thresholds pass, 1 a fail-on threshold was crossed, 2 bad config, 3 runtime failure.\n" +
        "Example:\n  distillscope init && distillscope audit -c distillscope.yaml --home .distillscope",
    )
    .action(async (options: { config: string }, command: Command) => {
      const globals = globalFlags(command);
      const interrupt = interruptSignal();
      let outcome: Awaited<ReturnType<typeof runAudit>>;
      try {
        outcome = await runAudit({
          configPath: options.config,
          home: resolveHome(globals),
          environment: process.env,
          signal: interrupt.signal,
          log: globals.quiet ? undefined : (line) => process.stderr.write(`${line}\n`),
        });
      } finally {
        interrupt.dispose();
      }
      if (!globals.quiet) {
        process.stdout.write(`${outcome.summary}\n\nresults and report: ${outcome.outDirectory}\n`);
      }
      if (outcome.crossed.length > 0) {
        const first = outcome.crossed[0]!;
        throw new ThresholdCrossed(
          `fail-on: ${outcome.crossed.length} threshold check(s) crossed, first: ${first.threshold} for ${first.subject} (value ${String(first.actual)})`,
        );
      }
      if (outcome.unmeasured.length > 0) {
        const first = outcome.unmeasured[0]!;
        throw new RuntimeFailure(
          `fail-on: ${first.threshold} could not be evaluated for ${first.subject}: the result has no such value`,
        );
      }
    });
}
