/**
 * The commented example configuration `distillscope init` writes. It must always load cleanly
 * (tested), so it doubles as living documentation of the format.
 */

/** Where editors find the schema once distillscope is installed in the project. */
export const defaultSchemaReference = "./node_modules/distillscope/schema/distillscope.schema.json";

/** The example distillscope.yaml, with a yaml-language-server line pointing at the JSON Schema. */
export function exampleConfigText(schemaReference: string = defaultSchemaReference): string {
  return `# yaml-language-server: $schema=${schemaReference}
# distillscope audit configuration. Run it with: distillscope audit -c distillscope.yaml
# Every key is checked: a typo is reported with its line. API keys never go in this file:
# name the environment variable that holds them (api-key-env).
version: 1

# Developers the built-in registry does not know: declare the lab behind a model the registry has
# never heard of. Its names then count as the model's own identity (never a conflict), and a target
# whose model name is one of them needs no identity (openai:heron-7b-instruct -> heron). ice run
# reads this list too: distillscope ice run --target ... --developer-file distillscope.yaml
# developers:
#   - key: heron                             # what identity: (or --identity) names
#     name: Heron Labs                       # how reports name it; also matched in answers
#     aliases: [Heron AI]                    # other names of the company or lab, in any language
#     models: [HeronChat, Heron-7B]          # model families, assistants, products

# Models under audit. identity is the developer key of the model's true developer
# (openai, anthropic, google, meta, alibaba, deepseek, zhipu, bytedance, microsoft, mistral, ...,
# or a key declared under developers:). Without it, the developer the id names is used
# (deepseek:deepseek-chat -> deepseek); an id that names none, or two, is an error asking for it.
targets:
  - id: openai:qwen-max                      # provider:model; openai: = any OpenAI-compatible endpoint
    identity: alibaba
    base-url: https://dashscope-intl.aliyuncs.com/compatible-mode/v1
    api-key-env: DASHSCOPE_API_KEY
  - id: deepseek:deepseek-chat
    identity: deepseek
    label: DeepSeek-V3                       # name shown in reports (default: the id)

# Models the targets are compared to (RSE). The paper used gpt-4o-2024-08-06.
references:
  - id: openai:gpt-4o-2024-08-06

# LLM judges, referred to by name below. Leave empty to judge offline with the embedded judges.
judges: []
#  - name: mini
#    model: openai:gpt-4o-mini

evaluations:
  # Identity Consistency Evaluation: jailbreak-style identity questions, judged for false claims.
  ice:
    budget: 200                              # identity queries per target (50 per template: 250 or
                                             # more gives 95% intervals, which need 5 templates)
    seed: 0                                  # same seed = same templates and questions for every target
    languages: [en, zh]
    judge: embedded                          # embedded | a judge name | a model id
    # LLM that rewrites the jailbreak templates (default: rule-based): a model id, or a mapping with
    # its own endpoint, like a target: { id: openai:qwen2.5-7b, base-url: http://127.0.0.1:8000/v1 }
    # helper: openai:gpt-4o-mini
  # Response Similarity Evaluation: how close each target's answers are to the references'.
  rse:
    limit: 50                                # prompts per prompt set
    seed: 0                                  # prompt sample and bootstrap (as rse run --seed)
    judge: embedded
  # Lineage attribution over a corpus of many models' answers to the same prompts.
  # lineage:
  #   corpus: ./alpaca_eval/results          # <dir>/<model>/model_outputs.json, or transcripts .jsonl
  #   # or a list aligned on the prompt text: your answers beside the public outputs as reference models
  #   # corpus: [./alpaca_eval/results, ./mine.jsonl]
  #   # format: alpacaeval                   # alpacaeval | jsonl; detected per input when absent
  #   candidates: [text_davinci_003, gpt4_0314, claude-2, llama-2-70b-chat-hf]  # 4 or more (see Lineage)
  #   alpha: 0.05

engine:
  concurrency: 4                             # requests in flight per model
  timeout-ms: 120000
  # rpm: 60                                  # requests per minute
  # tpm: 100000                              # tokens per minute

report:
  out: distillscope-report                   # results, report.html, report.md, manifest
  html: true
  markdown: true

# Exit with code 1 (for CI gates) when any target crosses a threshold.
# Metrics: ice.loose|strict|hard, rse.overall|style|logic|content (append .lower or .upper for the
# 95% interval bounds), lineage.teacher (== or != a name or null), lineage.pValue.
fail-on:
  - ice.strict > 0.05
  - rse.overall >= 4.2
`;
}
