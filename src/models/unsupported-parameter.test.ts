import assert from "node:assert/strict";
import { test } from "node:test";
import { unsupportedParameterIn } from "./unsupported-parameter.ts";

const openaiBody = (message: string, param: string | null, code: string | null) =>
  JSON.stringify({ error: { message, type: "invalid_request_error", param, code } });

test("OpenAI's refusals of a temperature or top_p name the parameter", () => {
  assert.equal(
    unsupportedParameterIn(
      openaiBody(
        "Unsupported value: 'temperature' does not support 0 with this model. Only the default (1) value is supported.",
        "temperature",
        "unsupported_value",
      ),
    ),
    "temperature",
  );
  assert.equal(
    unsupportedParameterIn(
      openaiBody(
        "Unsupported parameter: 'temperature' is not supported with this model.",
        "temperature",
        "unsupported_parameter",
      ),
    ),
    "temperature",
  );
  assert.equal(
    unsupportedParameterIn(
      openaiBody("Unsupported parameter: 'top_p' is not supported with this model.", "top_p", null),
    ),
    "topP",
  );
});

test("Anthropic's and Moonshot's refusals, also wrapped by a proxy", () => {
  const anthropic = JSON.stringify({
    type: "error",
    error: { type: "invalid_request_error", message: "`temperature` is deprecated for this model." },
  });
  assert.equal(unsupportedParameterIn(anthropic), "temperature");
  // LiteLLM puts the provider's body, escaped, inside its own message.
  const wrapped = JSON.stringify({
    error: { message: `litellm.BadRequestError: AnthropicException - ${anthropic}` },
  });
  assert.equal(unsupportedParameterIn(wrapped), "temperature");
  assert.equal(
    unsupportedParameterIn(
      '{"type":"error","error":{"type":"invalid_request_error","message":"`temperature` and `top_p` cannot both be specified for this model. Please use only one."}}',
    ),
    "topP",
  );
  assert.equal(
    unsupportedParameterIn("invalid temperature: only 1 is allowed for this model"),
    "temperature",
  );
});

test("other bad requests are not taken for a refused parameter", () => {
  for (const body of [
    openaiBody("This model's maximum context length is 8192 tokens.", "messages", "context_length_exceeded"),
    openaiBody(
      "Invalid type for 'temperature': expected a decimal, but got a string instead.",
      "temperature",
      "invalid_type",
    ),
    openaiBody("'temperature' must be between 0 and 2", "temperature", null),
    "temperature",
    "",
  ])
    assert.equal(unsupportedParameterIn(body), undefined, body);
});
