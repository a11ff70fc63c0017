/**
 * IP rules as stored data: the console's list, add and delete (audited, publishing "governance"), the trusted
 * proxies setting, and the cached rule set the gateway evaluates per request with `checkRequestIp` (pure logic
 * in ./ip-rules.ts), called by ./admission.server.ts for every API call.
 */
import { and, asc, eq, isNull } from "drizzle-orm";
import { accessKeys, ipRules, users } from "../../drizzle/schema";
import { recordAudit, type Actor } from "../audit/audit.server";
import { publish } from "../cache/invalidation.server";
import { newId } from "../crypto/tokens";
import { getDb } from "../db/client.server";
import { HubError } from "../errors";
import { getSettings, updateSettings } from "../settings/settings.server";
import { cachedLoader } from "./cached-loader.server";
import { evaluateIpRules, parseCidr, resolveClientIp, type IpDecision, type IpRuleInput } from "./ip-rules";

export interface AdminIpRule {
  id: string;
  action: "allow" | "deny";
  cidr: string;
  note: string | null;
  key: { id: string; name: string; prefix: string; userEmail: string } | null;
  createdBy: string | null;
  createdAt: string;
}

export interface NewIpRule {
  action: "allow" | "deny";
  cidr: string;
  accessKeyId?: string | null;
  note?: string | null;
}

const rules = cachedLoader("governance", async (): Promise<IpRuleInput[]> => {
  const db = await getDb();
  return db
    .select({ id: ipRules.id, action: ipRules.action, cidr: ipRules.cidr, accessKeyId: ipRules.accessKeyId })
    .from(ipRules);
});

/** The rules for the gateway (cached; dropped on "governance"). */
export function getIpRules(): Promise<IpRuleInput[]> {
  return rules.get();
}

/** The cached rules when they are fresh, without waiting; undefined when they must be (re)loaded. */
export function peekIpRules(): IpRuleInput[] | undefined {
  return rules.peek();
}

const NO_RULES = { ip: "", decision: evaluateIpRules([], null, null) };

/**
 * The client address of an API request (X-Forwarded-For only from trusted proxies) and the rules' verdict. With no
 * rules there is nothing to decide, and the address (which only a refusal names) is not worked out.
 */
export async function checkRequestIp(
  request: Request,
  keyId: string | null,
): Promise<{ ip: string; decision: IpDecision }> {
  const all = await getIpRules();
  if (all.length === 0) return NO_RULES;
  const settings = await getSettings();
  const ip = resolveClientIp(
    request.headers.get("x-hub-client-ip") ?? "",
    request.headers.get("x-forwarded-for"),
    settings.trustedProxies,
  );
  return { ip, decision: evaluateIpRules(all, ip, keyId) };
}

export async function listIpRules(): Promise<{ rules: AdminIpRule[]; trustedProxies: string[] }> {
  const db = await getDb();
  const [rows, settings] = await Promise.all([
    db
      .select({
        rule: ipRules,
        key: { id: accessKeys.id, name: accessKeys.name, prefix: accessKeys.prefix },
        userEmail: users.email,
      })
      .from(ipRules)
      .leftJoin(accessKeys, eq(accessKeys.id, ipRules.accessKeyId))
      .leftJoin(users, eq(users.id, accessKeys.userId))
      .orderBy(asc(ipRules.createdAt)),
    getSettings(),
  ]);
  const creators = new Map(
    (await db.select({ id: users.id, email: users.email }).from(users)).map((u) => [u.id, u.email]),
  );
  return {
    trustedProxies: settings.trustedProxies,
    rules: rows.map(({ rule: r, key, userEmail }) => ({
      id: r.id,
      action: r.action,
      cidr: r.cidr,
      note: r.note,
      key: key?.id ? { id: key.id, name: key.name, prefix: key.prefix, userEmail: userEmail ?? "" } : null,
      createdBy: r.createdBy ? (creators.get(r.createdBy) ?? null) : null,
      createdAt: r.createdAt.toISOString(),
    })),
  };
}

export function canonicalCidr(text: string, field = "cidr"): string {
  const parsed = parseCidr(text);
  if (!parsed)
    throw new HubError(
      "invalid_input",
      `"${text}" is not an IPv4 or IPv6 address or CIDR such as 10.0.0.0/8 or 2001:db8::/32`,
      field,
    );
  return parsed.text;
}

export async function addIpRule(input: NewIpRule, actor: Actor): Promise<AdminIpRule> {
  const cidr = canonicalCidr(input.cidr);
  const keyId = input.accessKeyId || null;
  const db = await getDb();
  const id = await db.transaction(async (tx) => {
    if (keyId) {
      const [key] = await tx.select({ id: accessKeys.id }).from(accessKeys).where(eq(accessKeys.id, keyId)).limit(1);
      if (!key) throw new HubError("not_found", "No such access key", "access_key_id");
    }
    const [same] = await tx
      .select({ id: ipRules.id })
      .from(ipRules)
      .where(
        and(
          eq(ipRules.action, input.action),
          eq(ipRules.cidr, cidr),
          keyId ? eq(ipRules.accessKeyId, keyId) : isNull(ipRules.accessKeyId),
        ),
      )
      .limit(1);
    if (same)
      throw new HubError(
        "conflict",
        `There is already ${input.action === "allow" ? "an allow" : "a deny"} rule for ${cidr} here`,
        "cidr",
      );
    const [row] = await tx
      .insert(ipRules)
      .values({
        id: newId("ipr"),
        action: input.action,
        cidr,
        accessKeyId: keyId,
        note: input.note?.trim() || null,
        createdBy: actor.id,
      })
      .returning();
    await recordAudit(tx, actor, { action: "ip_rule.create", targetType: "ip_rule", targetId: row!.id, after: row });
    return row!.id;
  });
  publish("governance");
  return (await listIpRules()).rules.find((r) => r.id === id)!;
}

export async function deleteIpRule(id: string, actor: Actor): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [before] = await tx.select().from(ipRules).where(eq(ipRules.id, id)).limit(1);
    if (!before) throw new HubError("not_found", "No such IP rule", "id");
    await tx.delete(ipRules).where(eq(ipRules.id, id));
    await recordAudit(tx, actor, { action: "ip_rule.delete", targetType: "ip_rule", targetId: id, before });
  });
  publish("governance");
}

/** Which peers may set X-Forwarded-For (an owner's decision: a wrong entry lets clients pick their address). */
export async function setTrustedProxies(proxies: string[], actor: Actor): Promise<string[]> {
  const canonical = [
    ...new Set(
      proxies
        .map((p) => p.trim())
        .filter(Boolean)
        .map((p) => canonicalCidr(p, "proxies")),
    ),
  ];
  const settings = await updateSettings({ trustedProxies: canonical }, actor);
  publish("governance");
  return settings.trustedProxies;
}
