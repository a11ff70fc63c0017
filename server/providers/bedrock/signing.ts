/**
 * AWS Signature Version 4 for Bedrock requests, with AWS's own signer (@smithy/signature-v4, the one inside the AWS
 * SDK) and node's SHA-256. Path segments are encoded a second time for the canonical request, as every service but
 * S3 wants: model ids such as "anthropic.claude-3-5-sonnet-20240620-v1:0" travel as "...v1%3A0" and are signed as
 * "...v1%253A0". The signer is async, so adapters hand it to the request as its `sign` step
 * (server/providers/types.ts UpstreamRequest), which the one place that sends bytes runs just before sending.
 */
import { lazyModule } from "../../lazy-module";

// Loaded on the first signature: a hub without Bedrock never loads @smithy.
const hashNode = lazyModule<typeof import("@smithy/hash-node")>("@smithy/hash-node");
const signatureV4 = lazyModule<typeof import("@smithy/signature-v4")>("@smithy/signature-v4");

export interface SignRequestInput {
  method: string;
  url: string;
  /** Headers to send and sign (content-type, accept, ...). `host` is derived from the URL. */
  headers: Record<string, string>;
  body?: string;
  region: string;
  /** Signing name: "bedrock" for both bedrock-runtime and the bedrock control plane. */
  service: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  now: Date;
}

function queryOf(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const name of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(name);
    query[name] = values.length === 1 ? (values[0] ?? "") : values;
  }
  return query;
}

/**
 * The headers to send: the given ones plus x-amz-date, x-amz-security-token (temporary credentials only) and
 * authorization. `host` is signed but not returned: the HTTP client sets it from the URL (with the port when it is
 * not the default). Bedrock does not require x-amz-content-sha256, so none is added.
 */
export async function signRequest(input: SignRequestInput): Promise<Record<string, string>> {
  const url = new URL(input.url);
  const { Hash } = hashNode();
  const { SignatureV4 } = signatureV4();
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: input.accessKeyId,
      secretAccessKey: input.secretAccessKey,
      sessionToken: input.sessionToken,
    },
    region: input.region,
    service: input.service,
    sha256: Hash.bind(null, "sha256"),
    uriEscapePath: true,
    applyChecksum: false,
  });
  const headers: Record<string, string> = { host: url.host };
  for (const [name, value] of Object.entries(input.headers))
    if (name.toLowerCase() !== "host") headers[name.toLowerCase()] = value;
  const signed = await signer.sign(
    {
      method: input.method.toUpperCase(),
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      query: queryOf(url),
      headers,
      body: input.body,
    },
    { signingDate: input.now },
  );
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers))
    if (name.toLowerCase() !== "host") out[name.toLowerCase()] = value;
  return out;
}
