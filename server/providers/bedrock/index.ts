/**
 * Amazon Bedrock adapter: OpenAI chat ⇄ Converse / ConverseStream, SigV4-signed.
 *
 * The secret is JSON {"accessKeyId","secretAccessKey","sessionToken?","region?"}; the region may also come
 * from target.options.region (default us-east-1). `defaultBaseUrl` keeps a "{region}" placeholder that the
 * adapter fills in, so a credential without a base URL override reaches its own region.
 * Requests are signed at send time (their `sign` step, ./signing.ts): URL, body and headers must go unchanged.
 */
import type { ProviderAdapter, UpstreamRequest, UpstreamTarget } from "../types";
import { parseError } from "./error";
import { bedrockMessages } from "./pass-through";
import { buildChatRequest, DEFAULT_BASE_URL, parseCredential, runtimeBaseUrl, signFor } from "./request";
import { parseChatResponse } from "./response";
import { createChatStreamParser } from "./stream";

export { BedrockRequestError } from "./request";

/**
 * ListFoundationModels lives on the control plane (bedrock.{region}), not bedrock-runtime:
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_ListFoundationModels.html
 * An overridden base URL (a proxy, a VPC endpoint, a fake) is used as is.
 */
function buildListModelsRequest(target: UpstreamTarget): UpstreamRequest {
  const credential = parseCredential(target);
  const usesDefault = !target.baseUrl || target.baseUrl === DEFAULT_BASE_URL;
  const base = usesDefault
    ? `https://bedrock.${credential.region}.amazonaws.com`
    : runtimeBaseUrl(target, credential.region).replace(
        /^https:\/\/bedrock-runtime\.([a-z0-9-]+)\.amazonaws\.com$/,
        "https://bedrock.$1.amazonaws.com",
      );
  const url = `${base}/foundation-models`;
  const headers = { accept: "application/json" };
  return { url, method: "GET", headers, sign: () => signFor(credential, target, "GET", url, headers) };
}

export const bedrockAdapter: ProviderAdapter = {
  kind: "bedrock",
  displayName: "Amazon Bedrock",
  menuHint: null,
  needsKey: true,
  keyHint: 'JSON: {"accessKeyId","secretAccessKey","region"}',
  freeWhenUnpriced: false,
  modelFamily: null,
  builtinModels: [],
  defaultBaseUrl: DEFAULT_BASE_URL,
  chat: { buildChatRequest, parseChatResponse, createChatStreamParser },
  parseError,
  buildListModelsRequest,
  messages: bedrockMessages,
};
