/**
 * The Keys page's two server functions. The loader never carries a key: a new key exists only in the action's
 * answer to the person who created (or rotated) it, sent with Cache-Control: no-store.
 */
import type { Actor } from "../audit/audit.server";
import { getEnv } from "../env.server";
import { HubError } from "../errors";
import { getRoutingCatalog } from "../gateway/routing-catalog.server";
import { log } from "../log.server";
import { listAccessKeys, type AccessKeySummary } from "./owner-list.server";
import { parseKeyForm, type FieldErrors } from "./input";
import { createAccessKey, revokeAccessKey, rotateAccessKey } from "./manage.server";
import { requireSameOrigin } from "../auth/same-origin.server";
import { clientIp, type SessionUser } from "../auth/session.server";

export interface KeysPageData {
  keys: AccessKeySummary[];
  /** Where apps reach the hub, for the snippets: PUBLIC_URL, never the address this request came in on. */
  hubUrl: string;
  /** A chat model that exists here, so the snippets run as pasted. */
  exampleModel: string;
}

export async function getKeysPage(user: SessionUser): Promise<KeysPageData> {
  const [keys, exampleModel] = await Promise.all([listAccessKeys(user.id), pickExampleModel()]);
  return { keys, hubUrl: getEnv().PUBLIC_URL.replace(/\/+$/, ""), exampleModel };
}

async function pickExampleModel(): Promise<string> {
  try {
    const catalog = await getRoutingCatalog();
    const chat = [...catalog.models.values()].filter((m) => m.type === "chat" && m.provider.credentials.length > 0);
    const first = chat.map((m) => `${m.provider.name}/${m.model}`).sort()[0];
    if (first) return first;
    // A fresh hub often has only the mock provider (README), whose built-in models need no catalog entry.
    for (const p of catalog.providers.values()) {
      const builtin = p.adapter.builtinModels.find((m) => m.type === "chat");
      if (builtin) return `${p.name}/${builtin.model}`;
    }
    return "openai/gpt-4o-mini";
  } catch (error) {
    // Only the page's code sample needs it: the keys themselves still show.
    log.warn("keys page: could not read the catalog for the example model", { error });
    return "openai/gpt-4o-mini";
  }
}

export interface RevealedKey {
  id: string;
  name: string;
  prefix: string;
  key: string;
  allowedModels: string[] | null;
}

export type KeysActionResult =
  | { ok: true; intent: "create" | "rotate"; revealed: RevealedKey }
  | { ok: true; intent: "revoke"; keyId: string }
  | { ok: false; intent: string; fieldErrors?: FieldErrors; formError?: string };

export async function handleKeysAction(request: Request, user: SessionUser): Promise<KeysActionResult> {
  await requireSameOrigin(request);
  const actor: Actor = {
    id: user.id,
    label: user.email,
    ip: clientIp(request),
    userAgent: request.headers.get("user-agent"),
  };
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const keyId = String(form.get("keyId") ?? "");
  try {
    if (intent === "create") {
      const parsed = parseKeyForm(form);
      if (!parsed.ok) return { ok: false, intent, fieldErrors: parsed.fieldErrors };
      const { key, record } = await createAccessKey({ ...parsed.input, userId: user.id }, actor);
      return {
        ok: true,
        intent,
        revealed: { id: record.id, name: record.name, prefix: record.prefix, key, allowedModels: record.allowedModels },
      };
    }
    if (intent === "rotate") {
      const { key, record } = await rotateAccessKey(keyId, user.id, actor);
      return {
        ok: true,
        intent,
        revealed: { id: record.id, name: record.name, prefix: record.prefix, key, allowedModels: record.allowedModels },
      };
    }
    if (intent === "revoke") {
      await revokeAccessKey(keyId, user.id, actor);
      return { ok: true, intent, keyId };
    }
    return { ok: false, intent, formError: "Unknown action." };
  } catch (error) {
    if (error instanceof HubError && error.status < 500) return { ok: false, intent, formError: error.message };
    throw error;
  }
}
