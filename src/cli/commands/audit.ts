import type { Command } from "commander";
import type { runAudit } from "../../audit/run.ts";
import { RuntimeFailure } from "../../errors.ts";
import { terminalSafe, terminalSafeLine } from "../../text/terminal-text.ts";
import { failWhenJudgeMeasuredNothing, globalFlags, interruptSignal, resolveHome } from "../common.ts";
import { failOnGateOutcome, failOnOption, parseFailOnFlags } from "../fail-on.ts";

/** `distillscope audit -c distillscope.yaml`: every evaluation of the config, the report and the fail-on gate. */
export function register(program: Command): void {
  program
    .command("audit")
    .description("run the evaluations a distillscope.yaml names, write results and report, check fail-on")
    .requiredOption("-c, --config <file>", "the audit configuration (write one with: distillscope init)")
    .addOption(failOnOption())
    .addHelpText(
      "after",
      "\n--fail-on adds to the config's fail-on list; it replaces a config threshold on the same metric with the\n" +
        "same operator.\n" +
        "Exit codes: 0 all thresholds pass, 1 a fail-on threshold was crossed, 2 bad config, 3 runtime failure.\n" +
        "Examples:\n  distillscope init && distillscope audit -c distillscope.yaml --home .distillscope\n" +
        '  distillscope audit -c distillscope.yaml --fail-on "ice.strict > 0.1" --fail-on "rse.overall.lower >= 4"',
    )
    .action(async (options: { config: string; failOn?: string[] }, command: Command) => {
      // Loaded here, not at the top: every command's start-up (even --help) would pay for the whole audit.
      const { runAudit } = await import("../../audit/run.ts");
      const { storedAnswerCount } = await import("../stored-answer-count.ts");
      const flagThresholds = parseFailOnFlags(options.failOn);
      const globals = globalFlags(command);
      const interrupt = interruptSignal();
      const home = resolveHome(globals);
      const answersBefore = storedAnswerCount(home);
      let outcome: Awaited<ReturnType<typeof runAudit>>;
      try {
        outcome = await runAudit({
          configPath: options.config,
          flagThresholds,
          home,
          environment: process.env,
          signal: interrupt.signal,
          log: globals.quiet ? undefined : (line) => process.stderr.write(`${terminalSafeLine(line)}\n`),
        });
      } catch (error) {
        // The engine's own message counts one batch of one step; say what the whole audit stored.
        if (!interrupt.signal.aborted) throw error;
        const stored = storedAnswerCount(home) - answersBefore;
        throw new RuntimeFailure(
          `interrupted: this audit stored ${stored} new answer(s), kept with those of earlier runs; run the same command again to resume`,
        );
      } finally {
        interrupt.dispose();
      }
      if (!globals.quiet) {
        process.stdout.write(
          `${terminalSafe(outcome.summary)}\n\nresults and report: ${terminalSafeLine(outcome.outDirectory)}\n`,
        );
      }
      failOnGateOutcome(outcome.checks);
      // A target or reference that gave no usable answer measured nothing: exit 3 even without fail-on.
      const silent = outcome.silentModels;
      if (silent.length > 0)
        throw new RuntimeFailure(
          `${silent
            .map((entry) =>
              entry.kind === "ice"
                ? `ice: ${entry.model} answered none of its ${entry.turns} queries`
                : `rse: ${entry.model} gave no usable answer in ${entry.turns} turns (for ${entry.subject})`,
            )
            .join(
              "; ",
            )}; nothing was measured against ${silent.length === 1 ? "it" : "them"} (each failure is in ${silent[0]!.path}); check the model id, its endpoint and key`,
        );
      // An LLM judge that judged none of a target's answers measured nothing: exit 3 even without fail-on.
      for (const failure of outcome.judgeFailures) {
        failWhenJudgeMeasuredNothing(
          failure.judge,
          failure.judged,
          failure.failed,
          failure.path,
          `check the judge model and its endpoint, or set evaluations.${failure.kind}.judge: embedded`,
        );
      }
    });
}
