/**
 * Commander checks required options before unknown ones, so a misspelt `--promts` was reported as
 * the missing `--prompts` and the typo itself was never named. This moves the required-option check
 * into a `preAction` hook, which commander runs after its own unknown-option check (the one with the
 * "Did you mean --prompts?" suggestion) and its argument checks: a typo is reported first, and a
 * command run without a required option still gets commander's own message and error code.
 */
import type { Command, Option } from "commander";

/** Turns off commander's early required-option check in `program` and every subcommand, and re-checks later. */
export function checkRequiredOptionsAfterUnknown(program: Command): void {
  const required = new Map<Command, Option[]>();
  const collect = (command: Command) => {
    const options = command.options.filter((option) => option.mandatory);
    for (const option of options) option.makeOptionMandatory(false);
    if (options.length > 0) required.set(command, options);
    for (const subcommand of command.commands) collect(subcommand);
  };
  collect(program);
  // Hooks of the program run before the action of any subcommand, after its options are all parsed.
  program.hook("preAction", (_program, actionCommand) => {
    const chain: Command[] = [];
    for (let command: Command | null = actionCommand; command !== null; command = command.parent)
      chain.push(command);
    // Outermost first, as commander itself walks them.
    for (const command of chain.reverse()) {
      for (const option of required.get(command) ?? []) {
        if (command.getOptionValue(option.attributeName()) === undefined) {
          command.error(`error: required option '${option.flags}' not specified`, {
            code: "commander.missingMandatoryOptionValue",
          });
        }
      }
    }
  });
}
