/**
 * Gemini API answers, shaped after the examples in https://ai.google.dev/api/generate-content and
 * https://ai.google.dev/gemini-api/docs/thinking, used by google.test.ts.
 */

export const TEXT_RESPONSE = {
  candidates: [
    {
      content: {
        parts: [{ text: "AI learns patterns from data " }, { text: "and uses them to predict." }],
        role: "model",
      },
      finishReason: "STOP",
      avgLogprobs: -0.2,
      index: 0,
    },
  ],
  usageMetadata: {
    promptTokenCount: 8,
    candidatesTokenCount: 12,
    totalTokenCount: 20,
    promptTokensDetails: [{ modality: "TEXT", tokenCount: 8 }],
    candidatesTokensDetails: [{ modality: "TEXT", tokenCount: 12 }],
  },
  modelVersion: "gemini-2.5-flash",
  responseId: "mBQhaJ7nHdKE7dcPoLHB-AE",
};

export const THINKING_RESPONSE = {
  candidates: [
    {
      content: {
        parts: [
          { text: "**Counting primes**\nI list the primes below 10.", thought: true },
          { text: "There are 4 primes below 10: 2, 3, 5 and 7." },
        ],
        role: "model",
      },
      finishReason: "STOP",
      index: 0,
    },
  ],
  usageMetadata: {
    promptTokenCount: 10,
    candidatesTokenCount: 20,
    totalTokenCount: 130,
    thoughtsTokenCount: 100,
    cachedContentTokenCount: 6,
  },
  modelVersion: "gemini-2.5-pro",
  responseId: "thinking-1",
};

export const FUNCTION_CALL_RESPONSE = {
  candidates: [
    {
      content: {
        parts: [
          {
            functionCall: { name: "get_weather", args: { location: "Boston, MA" } },
            thoughtSignature: "Q2lRQjBlMmRsOA==",
          },
          { functionCall: { name: "get_time", args: { timezone: "America/New_York" } } },
        ],
        role: "model",
      },
      finishReason: "STOP",
      index: 0,
    },
  ],
  usageMetadata: { promptTokenCount: 60, candidatesTokenCount: 16, totalTokenCount: 76 },
  modelVersion: "gemini-3-pro-preview",
  responseId: "fc-1",
};

/** A candidate stopped by the safety filter mid-answer. */
export const SAFETY_RESPONSE = {
  candidates: [
    {
      finishReason: "SAFETY",
      index: 0,
      safetyRatings: [{ category: "HARM_CATEGORY_DANGEROUS_CONTENT", probability: "HIGH", blocked: true }],
    },
  ],
  usageMetadata: { promptTokenCount: 9, totalTokenCount: 9 },
  modelVersion: "gemini-2.5-flash",
};

/** The prompt itself was blocked: no candidates at all. */
export const PROMPT_BLOCKED_RESPONSE = {
  promptFeedback: {
    blockReason: "SAFETY",
    safetyRatings: [{ category: "HARM_CATEGORY_HARASSMENT", probability: "HIGH" }],
  },
  usageMetadata: { promptTokenCount: 7, totalTokenCount: 7 },
  modelVersion: "gemini-2.5-flash",
  responseId: "blocked-1",
};

const chunk = (parts: unknown[], usage: Record<string, number>, finishReason?: string) =>
  JSON.stringify({
    candidates: [{ content: { parts, role: "model" }, ...(finishReason ? { finishReason } : {}), index: 0 }],
    usageMetadata: usage,
    modelVersion: "gemini-2.5-flash",
    responseId: "stream-1",
  });

/** streamGenerateContent?alt=sse body; the real API frames events with CRLF. The "é" and emoji test UTF-8 splits. */
export const TEXT_STREAM = [
  chunk([{ text: "Pondering.", thought: true }], { promptTokenCount: 5, totalTokenCount: 5 }),
  chunk([{ text: "Once upon a time, " }], { promptTokenCount: 5, candidatesTokenCount: 5, totalTokenCount: 10 }),
  chunk([{ text: "a café 🐉 opened." }], { promptTokenCount: 5, candidatesTokenCount: 9, totalTokenCount: 14 }),
  chunk(
    [{ text: "" }],
    {
      promptTokenCount: 5,
      candidatesTokenCount: 10,
      totalTokenCount: 18,
      thoughtsTokenCount: 3,
      cachedContentTokenCount: 2,
    },
    "STOP",
  ),
]
  .map((data) => `data: ${data}\r\n\r\n`)
  .join("");

export const FUNCTION_CALL_STREAM = [
  chunk([{ text: "Let me check." }], { promptTokenCount: 30, candidatesTokenCount: 3, totalTokenCount: 33 }),
  chunk(
    [{ functionCall: { name: "get_weather", args: { location: "Paris" } } }],
    { promptTokenCount: 30, candidatesTokenCount: 11, totalTokenCount: 41 },
    "STOP",
  ),
]
  .map((data) => `data: ${data}\r\n\r\n`)
  .join("");

export const RATE_LIMIT_ERROR = {
  error: {
    code: 429,
    message: "You exceeded your current quota, please check your plan and billing details.",
    status: "RESOURCE_EXHAUSTED",
    details: [
      {
        "@type": "type.googleapis.com/google.rpc.QuotaFailure",
        violations: [{ quotaMetric: "generativelanguage.googleapis.com/generate_content_free_tier_requests" }],
      },
      {
        "@type": "type.googleapis.com/google.rpc.Help",
        links: [{ description: "Learn more", url: "https://ai.google.dev/gemini-api/docs/rate-limits" }],
      },
      { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "13s" },
    ],
  },
};

export const API_KEY_INVALID_ERROR = {
  error: {
    code: 400,
    message: "API key not valid. Please pass a valid API key.",
    status: "INVALID_ARGUMENT",
    details: [
      {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        reason: "API_KEY_INVALID",
        domain: "googleapis.com",
        metadata: { service: "generativelanguage.googleapis.com" },
      },
    ],
  },
};
