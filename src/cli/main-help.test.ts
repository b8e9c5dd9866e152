import assert from "node:assert/strict";
import { test } from "node:test";
import { buildProgram } from "./main.ts";

test("every sub-command's --help lists the global options --home, --quiet and --debug", () => {
  const program = buildProgram();
  const commands = program.commands.flatMap((command) => [command, ...command.commands]);
  assert.ok(commands.length >= 8, "the commands are registered");
  for (const command of commands) {
    const help = command.helpInformation();
    for (const flag of ["--home <dir>", "--quiet", "--debug"])
      assert.ok(help.includes(flag), `${command.name()} --help lacks ${flag}:\n${help}`);
  }
});
