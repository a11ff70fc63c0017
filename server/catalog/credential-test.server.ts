/**
 * The Providers page's "Test" button: one chat call of one output token (max_tokens 1) through the provider's own
 * adapter and the hub's one fetch point (server/providers/http.server.ts), answering with the latency or the
 * provider's error as the gateway would map it. A failure is remembered as the credential's last error; the
 * circuit breaker is left to real traffic. Audited, since it spends (a very little of) the provider account.
 */
import { and, asc, eq } from "drizzle-orm";
import { credentials, models } from "../../drizzle/schema";
import { recordAudit, type Actor } from "../audit/audit.server";
import { redactText } from "../crypto/redact";
import { maskForCredential } from "../crypto/secret-mask";
import { getSecretBox } from "../crypto/secret-key.server";
import { getDb } from "../db/client.server";
import { sendUpstream, UpstreamFailure } from "../providers/http.server";
import { getAdapter } from "../providers/registry";
import type { ProviderKind, UpstreamError } from "../providers/types";
import { requireCredential } from "./credentials.server";
import { requireProvider } from "./providers.server";
import { defaultTestModel } from "./starter-models";

const TIMEOUT_MS = 20_000;

export interface CredentialTestResult {
  ok: boolean;
  model: string | null;
  latencyMs: number | null;
  /** The provider's HTTP status, or the hub's (502/504) for network failures; null when nothing was sent. */
  status: number | null;
  message: string;
}

async function pickModel(providerId: string, kind: string, requested: string | undefined): Promise<string | null> {
  if (requested?.trim()) return requested.trim();
  const db = await getDb();
  const [listed] = await db
    .select({ model: models.model })
    .from(models)
    .where(and(eq(models.providerId, providerId), eq(models.type, "chat"), eq(models.enabled, true)))
    .orderBy(asc(models.model))
    .limit(1);
  return listed?.model ?? defaultTestModel(kind);
}

/** The provider's words with the secret's values in every form (server/crypto/secret-mask.ts) and anything secret-shaped masked. */
function scrub(text: string, secret: string): string {
  return redactText(maskForCredential(secret).text(text)).slice(0, 500);
}

function describe(error: UpstreamError, secret: string): string {
  return scrub(`${error.status} ${error.code ?? error.type}: ${error.message}`, secret);
}

export async function testCredential(
  credentialId: string,
  requestedModel: string | undefined,
  actor: Actor,
): Promise<CredentialTestResult> {
  const credential = await requireCredential(credentialId);
  const provider = await requireProvider(credential.providerId);
  const model = await pickModel(provider.id, provider.kind, requestedModel);
  const result = await run(provider.kind as ProviderKind, provider.baseUrl, provider.options, credential, model);
  const db = await getDb();
  await db.transaction(async (tx) => {
    if (!result.ok)
      await tx
        .update(credentials)
        .set({ lastError: `Test: ${result.message}`.slice(0, 500), lastErrorAt: new Date() })
        .where(eq(credentials.id, credentialId));
    await recordAudit(tx, actor, {
      action: "credential.test",
      targetType: "credential",
      targetId: credentialId,
      after: result,
    });
  });
  return result;
}

async function run(
  kind: ProviderKind,
  providerBaseUrl: string | null,
  options: Record<string, unknown> | null,
  credential: typeof credentials.$inferSelect,
  model: string | null,
): Promise<CredentialTestResult> {
  if (!model)
    return {
      ok: false,
      model: null,
      latencyMs: null,
      status: null,
      message: "Add a chat model to this provider first, or name one to test with.",
    };
  let adapter;
  try {
    adapter = getAdapter(kind);
  } catch {
    return {
      ok: false,
      model,
      latencyMs: null,
      status: null,
      message: `This hub has no adapter for provider kind ${kind}.`,
    };
  }
  let secret: string;
  try {
    secret = credential.sealedSecret ? getSecretBox().open(credential.sealedSecret) : "";
  } catch {
    return {
      ok: false,
      model,
      latencyMs: null,
      status: null,
      message: "The stored key cannot be decrypted: was the hub's secret key changed? Enter the key again.",
    };
  }
  const baseUrl = (credential.baseUrl ?? providerBaseUrl ?? adapter.defaultBaseUrl).replace(/\/+$/, "");
  const target = { baseUrl, secret, model, options: options ?? {} };
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const request = adapter.chat.buildChatRequest(
      { model, messages: [{ role: "user", content: "Hi" }], max_tokens: 1, stream: false },
      target,
    );
    const response = await sendUpstream(request, AbortSignal.timeout(TIMEOUT_MS + 5_000), {
      connectMs: 10_000,
      headersMs: TIMEOUT_MS,
      idleMs: TIMEOUT_MS,
    });
    const text = await response.text();
    const latencyMs = elapsed();
    if (response.status < 200 || response.status >= 300) {
      const error = adapter.parseError(response.status, maskForCredential(secret).text(text), response.headers());
      return { ok: false, model, latencyMs, status: response.status, message: describe(error, secret) };
    }
    try {
      adapter.chat.parseChatResponse(JSON.parse(text), target);
    } catch {
      return {
        ok: false,
        model,
        latencyMs,
        status: response.status,
        message: "The provider answered, but not with a chat completion the hub understands. Check the base URL.",
      };
    }
    return { ok: true, model, latencyMs, status: response.status, message: `Answered in ${latencyMs} ms` };
  } catch (error) {
    if (error instanceof UpstreamFailure)
      return {
        ok: false,
        model,
        latencyMs: elapsed(),
        status: error.error.status,
        message: describe(error.error, secret),
      };
    // The adapter refused to build the request (a Bedrock key that is not JSON, for example).
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, model, latencyMs: null, status: null, message: scrub(message, secret) };
  }
}
