/**
 * Recorded Anthropic wire examples for the adapter tests, copied from the documentation:
 *   https://docs.anthropic.com/en/api/messages                     (MESSAGE_TEXT)
 *   https://docs.anthropic.com/en/api/messages-streaming           (STREAM_TEXT, STREAM_TOOL_USE, STREAM_THINKING,
 *                                                                   STREAM_WEB_SEARCH_USAGE's message_delta, error event)
 *   https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/implement-tool-use  (MESSAGE_TOOL_USE)
 *   https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking           (MESSAGE_THINKING)
 *   https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching              (cache usage numbers)
 *   https://docs.anthropic.com/en/api/errors                                         (error bodies)
 * Only the shortened signatures and the places marked "not documented" differ from the originals.
 */

/** Joins SSE events the way the API frames them: `event:` line, `data:` line, blank line. */
function sse(events: Array<[string, string]>): string {
  return events.map(([event, data]) => `event: ${event}\ndata: ${data}\n\n`).join("");
}

export const MESSAGE_TEXT = {
  content: [{ text: "Hi! My name is Claude.", type: "text" }],
  id: "msg_013Zva2CMHLNnXjNJJKqJ2EF",
  model: "claude-3-7-sonnet-20250219",
  role: "assistant",
  stop_reason: "end_turn",
  stop_sequence: null,
  type: "message",
  usage: { input_tokens: 2095, output_tokens: 503 },
};

/** As documented: no `type` and no `usage`. */
export const MESSAGE_TOOL_USE = {
  id: "msg_01Aq9w938a90dw8q",
  model: "claude-3-7-sonnet-20250219",
  stop_reason: "tool_use",
  role: "assistant",
  content: [
    { type: "text", text: "I'll check the current weather in San Francisco for you." },
    {
      type: "tool_use",
      id: "toolu_01A09q90qw90lq917835lq9",
      name: "get_weather",
      input: { location: "San Francisco, CA", unit: "celsius" },
    },
  ],
};

/** The documented thinking answer, with id/model/usage added (not documented) so it is a whole Message. */
export const MESSAGE_THINKING = {
  id: "msg_01ThinkingExample",
  type: "message",
  role: "assistant",
  model: "claude-3-7-sonnet-20250219",
  content: [
    {
      type: "thinking",
      thinking: "To approach this, let's think about what we know about prime numbers...",
      signature: "zbbJhbGciOiJFU8zI1NiIsImtpZCI6ImtleS0xMjM0In0...",
    },
    { type: "text", text: "Yes, there are infinitely many prime numbers such that..." },
  ],
  stop_reason: "end_turn",
  stop_sequence: null,
  usage: { input_tokens: 64, output_tokens: 412, output_tokens_details: { thinking_tokens: 300 } },
};

/** Usage numbers from the prompt-caching docs' example response. */
export const MESSAGE_CACHED = {
  ...MESSAGE_TEXT,
  usage: { input_tokens: 21, cache_creation_input_tokens: 188086, cache_read_input_tokens: 0, output_tokens: 393 },
};

export const MESSAGE_CACHE_HIT = {
  ...MESSAGE_TEXT,
  usage: { input_tokens: 21, cache_creation_input_tokens: 0, cache_read_input_tokens: 188086, output_tokens: 393 },
};

export const STREAM_TEXT = sse([
  [
    "message_start",
    `{"type": "message_start", "message": {"id": "msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY", "type": "message", "role": "assistant", "content": [], "model": "claude-3-5-sonnet-20241022", "stop_reason": null, "stop_sequence": null, "usage": {"input_tokens": 25, "output_tokens": 1}}}`,
  ],
  ["content_block_start", `{"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}`],
  ["ping", `{"type": "ping"}`],
  [
    "content_block_delta",
    `{"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hello"}}`,
  ],
  ["content_block_delta", `{"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "!"}}`],
  ["content_block_stop", `{"type": "content_block_stop", "index": 0}`],
  [
    "message_delta",
    `{"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence":null}, "usage": {"output_tokens": 15}}`,
  ],
  ["message_stop", `{"type": "message_stop"}`],
]);

const TOOL_TEXT = [
  "Okay",
  ",",
  " let",
  "'s",
  " check",
  " the",
  " weather",
  " for",
  " San",
  " Francisco",
  ",",
  " CA",
  ":",
];
const TOOL_JSON = [
  "",
  `{\\"location\\":`,
  ` \\"San`,
  ` Francisc`,
  `o,`,
  ` CA\\"`,
  `, `,
  `\\"unit\\": \\"fah`,
  `renheit\\"}`,
];

export const STREAM_TOOL_USE = sse([
  [
    "message_start",
    `{"type":"message_start","message":{"id":"msg_014p7gG3wDgGV9EUtLvnow3U","type":"message","role":"assistant","model":"claude-opus-4-20250514","stop_sequence":null,"usage":{"input_tokens":472,"output_tokens":2},"content":[],"stop_reason":null}}`,
  ],
  ["content_block_start", `{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}`],
  ["ping", `{"type": "ping"}`],
  ...TOOL_TEXT.map((t): [string, string] => [
    "content_block_delta",
    `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"${t}"}}`,
  ]),
  ["content_block_stop", `{"type":"content_block_stop","index":0}`],
  [
    "content_block_start",
    `{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6","name":"get_weather","input":{}}}`,
  ],
  ...TOOL_JSON.map((j): [string, string] => [
    "content_block_delta",
    `{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"${j}"}}`,
  ]),
  ["content_block_stop", `{"type":"content_block_stop","index":1}`],
  [
    "message_delta",
    `{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":89}}`,
  ],
  ["message_stop", `{"type":"message_stop"}`],
]);

/** As documented: no usage in message_start nor in message_delta. */
export const STREAM_THINKING = sse([
  [
    "message_start",
    `{"type": "message_start", "message": {"id": "msg_01...", "type": "message", "role": "assistant", "content": [], "model": "claude-3-7-sonnet-20250219", "stop_reason": null, "stop_sequence": null}}`,
  ],
  [
    "content_block_start",
    `{"type": "content_block_start", "index": 0, "content_block": {"type": "thinking", "thinking": ""}}`,
  ],
  [
    "content_block_delta",
    `{"type": "content_block_delta", "index": 0, "delta": {"type": "thinking_delta", "thinking": "Let me solve this step by step:\\n\\n1. First break down 27 * 453"}}`,
  ],
  [
    "content_block_delta",
    `{"type": "content_block_delta", "index": 0, "delta": {"type": "thinking_delta", "thinking": "\\n2. 453 = 400 + 50 + 3"}}`,
  ],
  [
    "content_block_delta",
    `{"type": "content_block_delta", "index": 0, "delta": {"type": "signature_delta", "signature": "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds..."}}`,
  ],
  ["content_block_stop", `{"type": "content_block_stop", "index": 0}`],
  ["content_block_start", `{"type": "content_block_start", "index": 1, "content_block": {"type": "text", "text": ""}}`],
  [
    "content_block_delta",
    `{"type": "content_block_delta", "index": 1, "delta": {"type": "text_delta", "text": "27 * 453 = 12,231"}}`,
  ],
  ["content_block_stop", `{"type": "content_block_stop", "index": 1}`],
  ["message_delta", `{"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": null}}`],
  ["message_stop", `{"type": "message_stop"}`],
]);

/**
 * message_start with prompt-cache counters, then the documented web-search message_delta whose usage
 * carries cumulative input totals that replace message_start's (the text is not documented).
 */
export const STREAM_WEB_SEARCH_USAGE = sse([
  [
    "message_start",
    `{"type":"message_start","message":{"id":"msg_01G...","type":"message","role":"assistant","model":"claude-opus-4-1-20250805","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":2679,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":3}}}`,
  ],
  ["content_block_start", `{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}`],
  [
    "content_block_delta",
    `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"¡Hola! 你好 👋"}}`,
  ],
  ["content_block_stop", `{"type":"content_block_stop","index":0}`],
  [
    "message_delta",
    `{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"input_tokens":10682,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":510,"server_tool_use":{"web_search_requests":1}}}`,
  ],
  ["message_stop", `{"type":"message_stop"}`],
]);

/** The documented `error` event arriving mid-stream (the events after it are not documented: they must be ignored). */
export const STREAM_ERROR = sse([
  [
    "message_start",
    `{"type": "message_start", "message": {"id": "msg_err", "type": "message", "role": "assistant", "content": [], "model": "claude-3-5-sonnet-20241022", "stop_reason": null, "stop_sequence": null, "usage": {"input_tokens": 25, "output_tokens": 1}}}`,
  ],
  ["content_block_start", `{"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}`],
  [
    "content_block_delta",
    `{"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hel"}}`,
  ],
  ["error", `{"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}`],
  ["content_block_delta", `{"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "lo"}}`],
  ["message_stop", `{"type": "message_stop"}`],
]);

export const ERROR_BODIES = {
  invalid_request_error: `{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: Field required"},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}`,
  not_found_error: `{"type":"error","error":{"type":"not_found_error","message":"The requested resource could not be found."},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}`,
  overloaded_error: `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`,
  rate_limit_error: `{"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit"}}`,
};
