/**
 * A fake Amazon Bedrock runtime on 127.0.0.1 that behaves like the real one where the gateway can tell:
 * it checks the SigV4 signature of every request (recomputed with the same canonical functions AWS
 * documents), answers Converse with the documented JSON shape and ConverseStream with real binary
 * event-stream frames, written in odd-sized pieces so decoders must cope with frames split anywhere.
 *
 * Magic words in the last user text: "[[429]]" throttling, "[[500]]" internal error, "[[break]]" socket
 * destroyed mid-stream, "[[exception]]" an in-stream modelStreamErrorException, "[[slow]]" first byte
 * delayed by slowMs. A user text with "weather" (and tools offered) gets a toolUse answer. InvokeModel for
 * Anthropic models (Anthropic's own body and events): ./bedrock-anthropic.ts.
 */
import type http from "node:http";
import { timingSafeEqual } from "node:crypto";
import { encodeEventStreamMessage } from "../../server/providers/bedrock/event-stream";
import { canonicalRequest, credentialScope, sha256Hex, signature, signingKey, stringToSign } from "./sigv4-check";
import { invokeAnthropic } from "./bedrock-anthropic";
import { type FakeUpstream, type RecordedRequest, startFakeUpstream } from "./server";
import type { Json } from "../helpers/json";

export interface FakeBedrockOptions {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** When set, requests must carry it as x-amz-security-token. */
  sessionToken?: string;
  /** Report prompt-cache reads (cacheReadInputTokens) in usage. */
  cached?: boolean;
  /** Delay before the first byte for "[[slow]]" (default 300 ms). */
  slowMs?: number;
}

export const FAKE_ANSWER = "Hello! This is a fake Bedrock answer.";
export const FAKE_TOOL_INPUT = { location: "Paris", unit: "celsius" };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function sendError(res: http.ServerResponse, status: number, type: string, message: string) {
  res.writeHead(status, {
    "content-type": "application/json",
    "x-amzn-errortype": `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
    "x-amzn-requestid": "fake-request-id",
  });
  res.end(JSON.stringify({ message }));
}

const header = (req: RecordedRequest, name: string) => {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(",") : (v ?? "");
};

/** Returns null when the signature is good, else the [type, message] AWS would answer with (403). */
function checkSignature(req: RecordedRequest, o: FakeBedrockOptions): [string, string] | null {
  const auth =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
      header(req, "authorization"),
    );
  if (!auth) return ["MissingAuthenticationTokenException", "Missing Authentication Token"];
  const [, keyId, day = "", region = "", service = "", signedNames = "", given = ""] = auth;
  const invalidToken = "The security token included in the request is invalid.";
  if (keyId !== o.accessKeyId) return ["UnrecognizedClientException", invalidToken];
  if (o.sessionToken && header(req, "x-amz-security-token") !== o.sessionToken) {
    return ["UnrecognizedClientException", invalidToken];
  }
  if (region !== o.region || service !== "bedrock") {
    return [
      "InvalidSignatureException",
      `Credential should be scoped to a valid region or service, not '${region}/${service}'.`,
    ];
  }
  const date = header(req, "x-amz-date");
  const names = signedNames.split(";");
  if (!date.startsWith(day) || !names.includes("host") || !names.includes("x-amz-date")) {
    return [
      "IncompleteSignatureException",
      "Date and host must be signed, and the date must match the credential scope.",
    ];
  }
  const [path = "", query = ""] = req.path.split("?");
  const canonical = canonicalRequest({
    method: req.method,
    path,
    query,
    headers: Object.fromEntries(names.map((n) => [n, header(req, n)])),
    payloadHash: sha256Hex(req.body),
  });
  const expected = signature(
    signingKey(o.secretAccessKey, day, region, service),
    stringToSign(date, credentialScope(day, region, service), canonical),
  );
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(given))) {
    return [
      "InvalidSignatureException",
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
    ];
  }
  return null;
}

/** The validation rules of the real service that an adapter can break. */
function validate(body: Json): string | null {
  const messages = body.messages as Json[] | undefined;
  if (!Array.isArray(messages) || messages.length === 0) return "The messages field is required and must be non-empty.";
  if (messages[0]?.role !== "user")
    return "A conversation must start with a user message. Try again with a conversation that starts with a user message.";
  for (let i = 1; i < messages.length; i++) {
    if (messages[i]?.role === messages[i - 1]?.role)
      return "A conversation must alternate between user and assistant roles.";
  }
  const blocks = messages.flatMap((m) => m.content as Json[]);
  if (blocks.some((b) => b.text === "")) return "The text field in the ContentBlock object is blank.";
  if (!body.toolConfig && blocks.some((b) => b.toolUse || b.toolResult)) {
    return "The toolConfig field must be defined when using toolUse and toolResult content blocks.";
  }
  return null;
}

interface Answer {
  blocks: Json[];
  stopReason: string;
  usage: Json;
}

function answer(body: Json, o: FakeBedrockOptions): Answer {
  const last = (body.messages as Json[]).at(-1)!;
  const text = (last.content as Json[]).map((b) => b.text ?? "").join(" ");
  const toolResult = (last.content as Json[]).find((b) => b.toolResult)?.toolResult;
  const tool = body.toolConfig?.tools?.[0]?.toolSpec;
  let blocks: Json[];
  let stopReason = "end_turn";
  if (tool && /weather/i.test(text)) {
    blocks = [
      { text: "Let me check." },
      { toolUse: { toolUseId: "tooluse_fake_1", name: tool.name, input: FAKE_TOOL_INPUT } },
    ];
    stopReason = "tool_use";
  } else {
    const words = (toolResult ? `The tool said: ${toolResult.content?.[0]?.text ?? ""}` : FAKE_ANSWER).split(" ");
    const max = body.inferenceConfig?.maxTokens as number | undefined;
    if (max !== undefined && max < words.length) stopReason = "max_tokens";
    blocks = [{ text: words.slice(0, max ?? words.length).join(" ") }];
  }
  const outputTokens = blocks.reduce((n, b) => n + (b.text ? b.text.split(" ").length : 10), 0);
  const usage: Json = o.cached
    ? { inputTokens: 5, outputTokens, cacheReadInputTokens: 16, totalTokens: 21 + outputTokens }
    : { inputTokens: 21, outputTokens, totalTokens: 21 + outputTokens };
  return { blocks, stopReason, usage };
}

const event = (type: string, payload: Json) =>
  // Real frames pad payloads with a "p" field so lengths do not leak content; decoders must ignore it.
  encodeEventStreamMessage(
    { ":event-type": type, ":content-type": "application/json", ":message-type": "event" },
    JSON.stringify({ ...payload, p: "abcdefghijklmnopqrstuvwxyzABCDEF".slice(0, 3 + (type.length % 7)) }),
  );

function streamFrames(a: Answer): Uint8Array[] {
  const frames = [event("messageStart", { role: "assistant" })];
  a.blocks.forEach((block, i) => {
    if (block.text !== undefined) {
      const words = (block.text as string).split(/(?<= )/);
      for (const piece of words)
        frames.push(event("contentBlockDelta", { contentBlockIndex: i, delta: { text: piece } }));
    } else {
      const { toolUseId, name, input } = block.toolUse;
      frames.push(event("contentBlockStart", { contentBlockIndex: i, start: { toolUse: { toolUseId, name } } }));
      const json = JSON.stringify(input);
      for (const piece of [json.slice(0, 9), json.slice(9, 20), json.slice(20)]) {
        frames.push(event("contentBlockDelta", { contentBlockIndex: i, delta: { toolUse: { input: piece } } }));
      }
    }
    frames.push(event("contentBlockStop", { contentBlockIndex: i }));
  });
  frames.push(event("messageStop", { stopReason: a.stopReason }));
  frames.push(event("metadata", { usage: a.usage, metrics: { latencyMs: 123 } }));
  return frames;
}

/** Write bytes in odd-sized pieces with a pause between, so each lands in its own TCP packet. */
async function writePieces(res: http.ServerResponse, bytes: Uint8Array) {
  const sizes = [7, 13, 29, 5, 41, 3, 61, 17];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length] ?? 1;
    res.write(bytes.subarray(at, at + size));
    at += size;
    await sleep(1);
  }
}

async function converseStream(res: http.ServerResponse, text: string, a: Answer) {
  res.writeHead(200, { "content-type": "application/vnd.amazon.eventstream", "x-amzn-requestid": "fake-request-id" });
  res.socket?.setNoDelay(true);
  let frames = streamFrames(a);
  if (text.includes("[[break]]")) {
    await writePieces(res, Buffer.concat(frames.slice(0, 3)));
    await writePieces(res, (frames[3] ?? new Uint8Array()).subarray(0, 10)); // half a frame, then the connection dies
    res.socket?.destroy();
    return;
  }
  if (text.includes("[[exception]]")) {
    const exception = encodeEventStreamMessage(
      {
        ":exception-type": "modelStreamErrorException",
        ":content-type": "application/json",
        ":message-type": "exception",
      },
      JSON.stringify({ message: "The model stream failed.", originalStatusCode: 500 }),
    );
    frames = [...frames.slice(0, 2), exception];
  }
  await writePieces(res, Buffer.concat(frames));
  res.end();
}

export async function startFakeBedrock(options: FakeBedrockOptions): Promise<FakeUpstream> {
  return startFakeUpstream(async (req, res) => {
    const refused = checkSignature(req, options);
    if (refused) return sendError(res, 403, refused[0], refused[1]);

    if (req.method === "GET" && req.path.split("?")[0] === "/foundation-models") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          modelSummaries: [
            {
              modelId: "anthropic.claude-3-haiku-20240307-v1:0",
              modelName: "Claude 3 Haiku",
              providerName: "Anthropic",
              inputModalities: ["TEXT", "IMAGE"],
              outputModalities: ["TEXT"],
              responseStreamingSupported: true,
            },
            {
              modelId: "amazon.nova-lite-v1:0",
              modelName: "Nova Lite",
              providerName: "Amazon",
              inputModalities: ["TEXT", "IMAGE", "VIDEO"],
              outputModalities: ["TEXT"],
              responseStreamingSupported: true,
            },
          ],
        }),
      );
      return;
    }
    const invoke = /^\/model\/([^/]+)\/(invoke|invoke-with-response-stream)$/.exec(req.path);
    if (req.method === "POST" && invoke) {
      const fail = (status: number, type: string, message: string) => sendError(res, status, type, message);
      return invokeAnthropic(
        req,
        res,
        decodeURIComponent(invoke[1]!),
        invoke[2] === "invoke-with-response-stream",
        fail,
      );
    }
    const route = /^\/model\/([^/]+)\/(converse|converse-stream)$/.exec(req.path);
    if (req.method !== "POST" || !route) return sendError(res, 404, "UnknownOperationException", "Unknown operation");

    let body: Json;
    try {
      body = JSON.parse(req.body) as Json;
    } catch {
      return sendError(res, 400, "SerializationException", "Malformed JSON body");
    }
    const invalid = validate(body);
    if (invalid) return sendError(res, 400, "ValidationException", invalid);

    const lastUser = [...(body.messages as Json[])].reverse().find((m) => m.role === "user")!;
    const text = (lastUser.content as Json[]).map((b) => b.text ?? "").join(" ");
    if (text.includes("[[slow]]")) await sleep(options.slowMs ?? 300);
    if (text.includes("[[429]]"))
      return sendError(res, 429, "ThrottlingException", "Too many requests, please wait before trying again.");
    if (text.includes("[[500]]"))
      return sendError(res, 500, "InternalServerException", "The server encountered an internal error.");

    const a = answer(body, options);
    if (route[2] === "converse-stream") return converseStream(res, text, a);
    res.writeHead(200, { "content-type": "application/json", "x-amzn-requestid": "fake-request-id" });
    res.end(
      JSON.stringify({
        output: { message: { role: "assistant", content: a.blocks } },
        stopReason: a.stopReason,
        usage: a.usage,
        metrics: { latencyMs: 123 },
      }),
    );
  });
}
