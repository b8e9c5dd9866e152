import assert from "node:assert/strict";
import test from "node:test";
import { Command, CommanderError } from "commander";
import { checkRequiredOptionsAfterUnknown } from "./required-options.ts";

/** A program like distillscope's: a global option, and a subcommand with required and optional options. */
function program(ran: string[]): Command {
  const root = new Command()
    .name("tool")
    .option("--home <dir>")
    .exitOverride()
    .configureOutput({ writeErr: () => {}, writeOut: () => {} });
  root
    .command("collect")
    .requiredOption("--prompts <file>")
    .requiredOption("--target <id>")
    .option("--samples <k>", "answers per prompt", "1")
    .action(() => {
      ran.push("collect");
    });
  checkRequiredOptionsAfterUnknown(root);
  return root;
}

async function failure(args: string[]): Promise<CommanderError> {
  const ran: string[] = [];
  try {
    await program(ran).parseAsync(["node", "tool", ...args]);
  } catch (error) {
    assert.ok(error instanceof CommanderError, String(error));
    assert.deepEqual(ran, [], "the action never ran");
    return error;
  }
  assert.fail(`expected ${args.join(" ")} to fail`);
}

test("an unknown option is reported first, with commander's suggestion", async () => {
  const error = await failure(["collect", "--promts", "x.jsonl", "--target", "openai:x"]);
  assert.equal(error.code, "commander.unknownOption");
  assert.match(error.message, /unknown option '--promts'\s+\(Did you mean --prompts\?\)/);
});

test("a missing required option is still reported, with commander's code and message", async () => {
  const error = await failure(["collect", "--prompts", "x.jsonl"]);
  assert.equal(error.code, "commander.missingMandatoryOptionValue");
  assert.equal(error.message, "error: required option '--target <id>' not specified");
});

test("a complete command runs its action, and the options stay required", async () => {
  const ran: string[] = [];
  const root = program(ran);
  await root.parseAsync(["node", "tool", "--home", "h", "collect", "--prompts", "p", "--target", "t"]);
  assert.deepEqual(ran, ["collect"]);
  const collect = root.commands.find((command) => command.name() === "collect");
  assert.ok(collect);
  assert.deepEqual(
    collect.options.filter((option) => option.mandatory).map((option) => option.long),
    [],
    "commander's own early check is off",
  );
});
