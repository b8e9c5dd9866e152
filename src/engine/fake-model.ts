import type { GenerateRequest, GenerateResult, Model } from "../models/types.ts";

/** What a scripted fake model does on one call: answer, fail, or hang until aborted (or forever). */
export type FakeBehaviour = (call: {
  request: GenerateRequest;
  prompt: string;
  attempt: number;
  signal: AbortSignal;
}) => GenerateResult | Promise<GenerateResult>;

/** An in-process Model for engine unit tests; counts calls per prompt and the peak of calls in flight. */
export class FakeModel implements Model {
  readonly id = "fake:model-1";
  readonly provider = "fake";
  readonly model = "model-1";
  readonly endpoint: string;
  readonly callsByPrompt = new Map<string, number>();
  calls = 0;
  inFlight = 0;
  peakInFlight = 0;
  readonly #behaviour: FakeBehaviour;

  constructor(behaviour: FakeBehaviour = defaultAnswer, endpoint = "fake.test:1") {
    this.#behaviour = behaviour;
    this.endpoint = endpoint;
  }

  async generate(request: GenerateRequest, signal: AbortSignal): Promise<GenerateResult> {
    const prompt = request.messages.at(-1)?.content ?? "";
    const attempt = (this.callsByPrompt.get(prompt) ?? 0) + 1;
    this.callsByPrompt.set(prompt, attempt);
    this.calls++;
    this.inFlight++;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    try {
      return await this.#behaviour({ request, prompt, attempt, signal });
    } finally {
      this.inFlight--;
    }
  }
}

/** The true answer of the fake model to a prompt. */
export function fakeAnswerText(prompt: string): string {
  return `answer to ${prompt}`;
}

export const defaultAnswer: FakeBehaviour = ({ prompt }) => ({
  ok: true,
  text: fakeAnswerText(prompt),
  usage: { inputTokens: Math.ceil(prompt.length / 4), outputTokens: 5 },
  costUsd: 0.001,
  finishReason: "stop",
});

/** Never settles unless the signal aborts (then it settles with a retryable failure). */
export const hang: FakeBehaviour = ({ signal }) =>
  new Promise((resolve) => {
    signal.addEventListener(
      "abort",
      () => resolve({ ok: false, errorClass: "retryable", message: "aborted" }),
      {
        once: true,
      },
    );
  });
