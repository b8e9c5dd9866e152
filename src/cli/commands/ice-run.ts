/**
 * `distillscope ice run`: thin CLI over runIce (src/ice/run.ts). Parses flags, builds the models and
 * the store, calls the library, writes the result JSON and prints the summary `ice judge` prints.
 */
import type { Command } from "commander";
import { InputError, RuntimeFailure } from "../../errors.ts";
import type { PolicyName } from "../../ice/run.ts";
import { exampleIdentityFor } from "../../identity/model-id-identity.ts";
import { resolveDeveloperKey } from "../../identity/registry.ts";
import type { QuestionLanguage } from "../../probes/identity-questions.ts";
import { identityQuestions, questionLanguages } from "../../probes/identity-questions.ts";
import { type TemplateLanguage, templateLanguages } from "../../probes/identity-templates.ts";
import {
  addModelOptions,
  failWhenJudgeMeasuredNothing,
  interruptSignal,
  type ModelFlags,
  parseModelOptions,
  prepareOutputFile,
  resolveHome,
  roleModelOptions,
  wholeNumberFlag,
} from "../common.ts";
import {
  addDeveloperOptions,
  type DeclaredDevelopers,
  type DeveloperFlags,
  developersFromFlags,
} from "../developer-flags.ts";
import { checkFailOn, failOnOption, parseFailOnFlags } from "../fail-on.ts";
import { checkJudgeFlag } from "../judge-flag.ts";
import { messageStream, resultPlace, resultRecord, writeResultJson } from "../result-output.ts";
import { identityFromId, onlyDeclaredIdentity } from "../target-identity.ts";
import { summaryTable } from "./ice-summary.ts";

interface IceRunFlags extends ModelFlags, DeveloperFlags {
  target: string;
  identity?: string;
  judge: string;
  judgeBaseUrl?: string;
  helper?: string;
  helperBaseUrl?: string;
  budget: string;
  seed: string;
  languages: string;
  templateLanguages?: string;
  questions: string;
  policy: string;
  out: string;
  failOn?: string[];
  home?: string;
  quiet?: boolean;
}

function parseLanguages(value: string): QuestionLanguage[] {
  const languages = value
    .split(",")
    .map((language) => language.trim())
    .filter((language) => language.length > 0);
  for (const language of languages) {
    if (!questionLanguages.includes(language as QuestionLanguage))
      throw new InputError(
        `--languages: "${language}" has no questions; use a comma list of ${questionLanguages.join(", ")}`,
      );
  }
  if (languages.length === 0) throw new InputError(`--languages is empty; use e.g. "en,zh"`);
  return languages as QuestionLanguage[];
}

function parseTemplateLanguages(value: string): TemplateLanguage[] {
  const languages = value
    .split(",")
    .map((language) => language.trim())
    .filter((language) => language.length > 0);
  for (const language of languages) {
    if (!templateLanguages.includes(language as TemplateLanguage))
      throw new InputError(
        `--template-languages: "${language}" has no templates; use a comma list of ${templateLanguages.join(", ")}`,
      );
  }
  if (languages.length === 0) throw new InputError(`--template-languages is empty; use e.g. "en,zh"`);
  return languages as TemplateLanguage[];
}

/**
 * The target's developer: `--identity` (or `--developer-name`'s key), else the developer the target id
 * names among the registry and the declared developers, else the only developer of a one-developer
 * `--developer-file`. `note` says how an identity that was not given was found.
 */
function identityFor(flags: IceRunFlags, declared: DeclaredDevelopers): { key: string; note?: string } {
  const identity = flags.identity ?? declared.identity;
  if (identity !== undefined) return { key: resolveDeveloperKey(identity, declared.developers) };
  const implied = identityFromId(flags.target, declared) ?? onlyDeclaredIdentity(declared);
  if (implied === undefined)
    throw new InputError(
      `--identity is needed: the developer of "${flags.target}" is not clear from its id (e.g. --identity ${exampleIdentityFor(flags.target)}, or declare it: --developer-file, --developer-name)`,
    );
  return implied;
}

/** `--questions`: 1 up to the bank's questions per language (more would be silently fewer). */
function questionsFlag(value: string): number {
  const questions = wholeNumberFlag("--questions", value, 1)!;
  const available = identityQuestions.length / questionLanguages.length;
  if (questions > available)
    throw new InputError(
      `--questions ${questions}: the question bank has ${available} questions per language; use at most ${available}`,
    );
  return questions;
}

/** The options of the `ice run` subcommand (exported for tests). */
export function parseIceRunFlags(
  flags: IceRunFlags,
  declared: DeclaredDevelopers = { developers: [], identity: undefined, declaredIn: "" },
) {
  const policy =
    flags.policy === "random" ? "random-seed" : flags.policy === "mcts" ? "mcts-explore" : undefined;
  if (policy === undefined)
    throw new InputError(`--policy must be "mcts" or "random", got "${flags.policy}"`);
  const identity = identityFor(flags, declared);
  return {
    identity: identity.key,
    ...(identity.note === undefined ? {} : { identityNote: identity.note }),
    developers: declared.developers,
    budget: wholeNumberFlag("--budget", flags.budget, 1)!,
    seed: wholeNumberFlag("--seed", flags.seed, 0)!,
    languages: parseLanguages(flags.languages),
    templateLanguages: parseTemplateLanguages(flags.templateLanguages ?? "en"),
    questionsPerLanguage: questionsFlag(flags.questions),
    policy: policy as PolicyName,
    model: parseModelOptions(flags),
  };
}

/** Adds `run` under the `ice` command. */
export function registerIceRun(ice: Command): void {
  const run = ice
    .command("run")
    .description("probe a live model with seeded identity questions under searched jailbreak templates")
    .addHelpText(
      "after",
      `
Examples:
  export DEEPSEEK_API_KEY=...
  distillscope ice run --target deepseek:deepseek-chat --budget 1000 --seed 0 --out ice-deepseek.json
  distillscope ice run --target openai:my-model --base-url http://127.0.0.1:8000/v1 --identity alibaba \\
    --helper openai:gpt-4o-mini --judge embedded --template-languages en,zh --out ice-local.json
  distillscope ice run --target deepseek:deepseek-chat --out ice-deepseek.json --fail-on "ice.strict.lower > 0.05"
  distillscope ice run --target deepseek:deepseek-chat --out - | jq .scores
  # a developer the registry does not know: its names count as the model's own identity
  distillscope ice run --target openai:acme-7b --base-url http://127.0.0.1:8000/v1 --identity acme \
    --developer-name "Acme AI" --developer-alias "Acme Labs" --developer-model AcmeBot --out ice-acme.json
  distillscope ice run --target openai:acme-7b --base-url http://127.0.0.1:8000/v1 --developer-file acme.yaml --out ice-acme.json
  # the developers: of distillscope.yaml; acme-7b is a model it declares, so the identity is acme
  distillscope ice run --target openai:acme-7b --base-url http://127.0.0.1:8000/v1 --developer-file distillscope.yaml --out ice-acme.json

Exit codes: 0 done, 1 a --fail-on threshold was crossed, 2 bad usage or input, 3 runtime failure (or a
--fail-on threshold the result cannot measure).`,
    )
    .requiredOption("--target <id>", "model to probe, provider:model (e.g. deepseek:deepseek-chat)")
    .option(
      "--identity <developer-key>",
      "the target's real developer, any case; default: the developer the target id names, registry or declared (--developer-file), exit 2 when it names none or two; see --developer-name for one the registry does not know",
    )
    .option("--judge <embedded|id>", "embedded claim analyser or an LLM judge model id", "embedded")
    .option("--judge-base-url <url>", "base URL for an OpenAI-compatible LLM judge")
    .option("--helper <id>", "helper model for the five mutators (rule-based mutators without it)")
    .option("--helper-base-url <url>", "base URL for an OpenAI-compatible helper")
    .option("--budget <n>", "most queries sent to the target", "1000")
    .option("--seed <s>", "seed of the probe selection and the search", "0")
    .option("--languages <list>", "question languages, comma-separated", "en,zh")
    .option(
      "--template-languages <list>",
      "languages of the seed templates, comma-separated (en, zh; questions go into templates of any language)",
      "en",
    )
    .option(
      "--questions <n>",
      `distinct questions, each asked in every language (at most ${identityQuestions.length / questionLanguages.length})`,
      "25",
    )
    .option(
      "--policy <mcts|random>",
      "template selection: repaired MCTS-Explore or the random-seed baseline",
      "mcts",
    )
    .requiredOption(
      "--out <result.json>",
      "where to write the ICE result JSON (- for standard output; the other lines then go to stderr)",
    )
    .addOption(failOnOption("ice"));
  addDeveloperOptions(run);
  addModelOptions(run);
  run.action(async (_options: unknown, command: Command) => {
    const flags = command.optsWithGlobals() as IceRunFlags;
    const parsed = parseIceRunFlags(flags, await developersFromFlags(flags));
    const thresholds = parseFailOnFlags(flags.failOn, "ice");
    prepareOutputFile(flags.out);
    // Loaded here so that the rest of the CLI does not load the engine and adapters it does not use.
    const { openStore } = await import("../../engine/index.ts");
    const { runIce } = await import("../../ice/run.ts");
    const { failWhenTargetAnsweredNothing } = await import("../../ice/answered-nothing.ts");
    const { createModel } = await import("../../models/registry.ts");
    const { parseJudgeFlag } = await import("../../ice/run-judge.ts");
    const { createProgressReporter } = await import("../progress.ts");
    // An identity the user did not give is said before anything is asked, so nobody is surprised by it.
    if (parsed.identityNote !== undefined && flags.quiet !== true)
      messageStream(flags.out).write(`${parsed.identityNote}\n`);
    const store = openStore(resolveHome(flags));
    const { baseUrl, ...engineSettings } = parsed.model;
    const { environmentForKeyFlag } = await import("../key-variable-flag.ts");
    const target = createModel(flags.target, {
      ...(baseUrl ? { baseUrl } : {}),
      environment: environmentForKeyFlag(flags.target, flags.apiKeyEnv, "--api-key-env"),
    });
    const helper =
      flags.helper === undefined
        ? undefined
        : createModel(flags.helper, roleModelOptions(flags.helperBaseUrl, "--helper-base-url", "--helper"));
    const judge = parseJudgeFlag(checkJudgeFlag(flags.judge), (id: string) =>
      createModel(id, roleModelOptions(flags.judgeBaseUrl, "--judge-base-url", "--judge")),
    );
    // An Entra ID sign-in that fails stops the run here, before the target is asked anything.
    const { signInBeforeRequests } = await import("../../models/azure-entra-id.ts");
    await signInBeforeRequests([target, helper, judge.kind === "llm" ? judge.model : undefined]);
    // Ctrl-C stops the run (exit 3, answers kept for the resume) like collect and audit.
    const interrupt = interruptSignal();
    const progress = createProgressReporter({
      label: "ice run",
      total: parsed.budget,
      quiet: flags.quiet === true,
    });
    /** Target answers stored (asked now or taken from the store), for the interrupt message. */
    let stored = 0;
    try {
      const result = await runIce({
        target,
        identity: parsed.identity,
        developers: parsed.developers,
        store,
        judge,
        budget: parsed.budget,
        seed: parsed.seed,
        languages: parsed.languages,
        templateLanguages: parsed.templateLanguages,
        questionsPerLanguage: parsed.questionsPerLanguage,
        policy: parsed.policy,
        onEvent: (event) => {
          if (event.type === "answer") stored++;
          progress.onEvent(event);
        },
        signal: interrupt.signal,
        ...(helper ? { helper } : {}),
        ...engineSettings,
      }).catch((error: unknown) => {
        if (!interrupt.signal.aborted) throw error;
        throw new RuntimeFailure(
          `interrupted: ${stored} of at most ${parsed.budget} target answers are stored; run the same command again to resume`,
        );
      });
      writeResultJson(flags.out, result);
      // The bar ends before the summary, so on a terminal it cannot redraw over it.
      progress.stop();
      const messages = messageStream(flags.out);
      if (flags.quiet !== true)
        messages.write(
          `ice run ${flags.target}: ${result.search.queriesUsed} target queries, ${result.search.helperCalls} helper calls\n\n` +
            summaryTable(result, resultPlace(flags.out)),
        );
      await checkFailOn(thresholds, { subject: flags.target, result }, flags.quiet === true, messages);
      failWhenTargetAnsweredNothing(result, resultRecord(flags.out));
      failWhenJudgeMeasuredNothing(result.judge, result.n, result.judgeErrors ?? 0, flags.out);
    } finally {
      // Stopped already on success; after an error the closing progress line would be a second line.
      progress.stop(false);
      interrupt.dispose();
      store.close();
    }
  });
}
