import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RuntimeFailure } from "../errors.ts";
import type { Model } from "../models/types.ts";
import { failWhenModelAnsweredNothing } from "./answered-nothing.ts";
import type { RseResult } from "./run.ts";

function model(id: string): Model {
  return {
    id,
    provider: "openai",
    model: id,
    endpoint: "127.0.0.1:8000",
    async generate() {
      return { ok: false, errorClass: "fatal", message: "not called" };
    },
  };
}

/** The parts of a result the check reads: one target that answered, one reference with these failures. */
function resultWith(errors: string[]): RseResult {
  return {
    target: "openai:target",
    answerCounts: {
      "openai:target": { turns: errors.length, answered: errors.length, empty: 0, failed: 0 },
      "openai:reference": { turns: errors.length, answered: 0, empty: 0, failed: errors.length },
    },
    failures: {
      collection: errors.map((error, index) => ({
        model: "openai:reference",
        promptId: `p${index}`,
        dataset: "mine",
        turn: 0,
        error,
      })),
      judge: 0,
      emptyAnswers: [],
    },
  } as unknown as RseResult;
}

function messageOf(result: RseResult): string {
  try {
    failWhenModelAnsweredNothing(result, [model("openai:target"), model("openai:reference")], "rse.json");
  } catch (error) {
    assert.ok(error instanceof RuntimeFailure);
    return error.message;
  }
  assert.fail("expected a RuntimeFailure");
}

const rateLimited = "rate_limited: openai:reference: rate limited (429): Rate limit reached.";
const serverError = "retryable: openai:reference: server error (500): oops";

describe("failWhenModelAnsweredNothing advice", () => {
  it("names the pace, not the id or key, when every turn was rate limited", () => {
    const message = messageOf(resultWith([rateLimited, rateLimited]));
    assert.match(
      message,
      /^reference openai:reference at 127\.0\.0\.1:8000: none of 2 turns answered: 2 failed/,
    );
    assert.match(
      message,
      /429 \(rate limited\) after every retry: lower --concurrency or set --rpm \/ --tpm/,
    );
    assert.ok(!message.includes("check the model id"), message);
  });
  it("gives both pieces of advice when rate limits and other failures are mixed", () => {
    const message = messageOf(resultWith([rateLimited, serverError]));
    assert.match(message, /check the model id, its endpoint and key; the provider kept refusing with 429/);
  });
  it("says nothing of rate limits for server errors", () => {
    const message = messageOf(resultWith([serverError]));
    assert.match(message, /check the model id, its endpoint and key; failed turns are not stored/);
    assert.ok(!message.includes("429"), message);
  });
});
