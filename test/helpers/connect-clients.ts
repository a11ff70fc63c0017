/**
 * The tool side of the connect flows, for tests (vitest and Playwright):
 *  - `aigneCliConnect*` behaves like @aigne/cli 1.59 (dist/utils/aigne-hub/credential.js, `createConnect` and
 *    `fetchConfigs`): POST the session, poll GET ?sid= with X-Request-Count until the answer has accessKeyId and
 *    accessKeySecret, read it ONCE MORE, DELETE, then decrypt with crypto-js. Like @aigne/core's fetch, any
 *    non-2xx answer throws.
 *  - `deviceFlow*` is an RFC 8628 client that honours `interval` and slow_down.
 */
import { pbkdf2Sync } from "node:crypto";
import CryptoJS from "crypto-js";

const SESSION_PATH = "/.well-known/service/api/access-key/session";

async function strictJson(url: string, init: RequestInit = {}): Promise<Record<string, unknown>> {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`Fetch ${url} error: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

/** The CLI's decrypt: AES passphrase = hex(pbkdf2(challenge, accessKeyId, 256, 32, sha512)). */
export function aigneCliDecrypt(secret: string, accessKeyId: string, challenge: string): string {
  return CryptoJS.AES.decrypt(secret, pbkdf2Sync(challenge, accessKeyId, 256, 32, "sha512").toString("hex")).toString(
    CryptoJS.enc.Utf8,
  );
}

/** base64url without padding, as the CLI puts the session id into the approval page's `__token__`. */
export const aigneApprovalUrl = (origin: string, sessionId: string, appName = "AIGNE CLI") =>
  `${origin}/.well-known/service/gen-simple-access-key?${new URLSearchParams({
    __token__: Buffer.from(sessionId).toString("base64url"),
    source: "@aigne/cli connect to AIGNE hub",
    closeOnSuccess: "true",
    cli: "true",
    appName: ` ${appName}`,
    appLogo: "https://www.aigne.io/favicon.ico?imageFilter=resize&w=32",
  })}`;

export async function aigneCliStart(origin: string): Promise<{ id: string; challenge: string }> {
  const session = await strictJson(origin + SESSION_PATH, { method: "POST" });
  return { id: String(session.id), challenge: String(session.challenge) };
}

export async function aigneCliCollect(
  origin: string,
  sessionId: string,
  options: { intervalMs?: number; timeoutMs?: number } = {},
) {
  const url = `${origin}${SESSION_PATH}?sid=${encodeURIComponent(sessionId)}`;
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let requestCount = 0;
  const read = () => strictJson(url, { headers: { "X-Request-Count": String(requestCount) } });
  for (;;) {
    const session = await read();
    requestCount++;
    if (session.accessKeyId && session.accessKeySecret) break;
    if (Date.now() > deadline) throw new Error("timed out waiting for approval");
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 1500));
  }
  const session = await read(); // the CLI's second read, after the condition was met
  await strictJson(url, { method: "DELETE" });
  const accessKeyId = String(session.accessKeyId);
  return {
    accessKeyId,
    challenge: String(session.challenge),
    apiKey: aigneCliDecrypt(String(session.accessKeySecret), accessKeyId, String(session.challenge)),
    polls: requestCount,
  };
}

export interface DeviceCodeAnswer {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string;
  expires_in: number;
  interval: number;
}

export async function deviceFlowStart(origin: string, clientId: string): Promise<DeviceCodeAnswer> {
  return (await strictJson(`${origin}/api/device/code`, {
    method: "POST",
    body: new URLSearchParams({ client_id: clientId }),
  })) as unknown as DeviceCodeAnswer;
}

export const deviceTokenRequest = (origin: string, deviceCode: string) =>
  fetch(`${origin}/api/device/token`, {
    method: "POST",
    body: new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:device_code", device_code: deviceCode }),
  });

/** Polls as RFC 8628 §3.5 says: every `interval` seconds, 5 more after each slow_down; `intervalMs` overrides for tests. */
export async function deviceFlowPoll(
  origin: string,
  answer: DeviceCodeAnswer,
  options: { intervalMs?: number; timeoutMs?: number } = {},
) {
  let interval = options.intervalMs ?? answer.interval * 1000;
  const deadline = Date.now() + (options.timeoutMs ?? answer.expires_in * 1000);
  const seen: string[] = [];
  for (;;) {
    await new Promise((r) => setTimeout(r, interval));
    const response = await deviceTokenRequest(origin, answer.device_code);
    const body = (await response.json()) as Record<string, string>;
    if (response.ok) return { accessToken: body.access_token!, tokenType: body.token_type!, seen };
    seen.push(body.error!);
    if (body.error === "slow_down") interval += 5000;
    else if (body.error !== "authorization_pending") throw new Error(`device flow failed: ${body.error}`);
    if (Date.now() > deadline) throw new Error("timed out waiting for approval");
  }
}
