/**
 * IP rules, pure: parse IPv4 and IPv6 addresses and CIDRs, decide whether an address may call the API, and find
 * the client's address behind trusted proxies. No I/O, and no state but a memo of the last peer address; the
 * loader (./ip-rules.server.ts) feeds it the stored rules and the gateway calls it once per request.
 *
 * Semantics (the admin console explains the same):
 * - a deny rule that matches refuses the call, whether it is global or for the calling key ("deny wins");
 * - global allow rules, when there are any, form an allow list for the whole API: an address outside all of them
 *   is refused;
 * - a key's allow rules, when it has any, form a further allow list for that key alone.
 * IPv4-mapped IPv6 addresses (::ffff:10.0.0.1, what Node reports on a dual-stack socket) count as IPv4.
 */

export type IpFamily = 4 | 6;

export interface IpAddress {
  family: IpFamily;
  /** The address as an unsigned integer (32 or 128 bits). */
  value: bigint;
}

export interface Cidr {
  family: IpFamily;
  /** The network address (host bits cleared). */
  network: bigint;
  prefix: number;
  /** Canonical text: "10.0.0.0/8", "2001:db8::/32". */
  text: string;
}

export interface IpRuleInput {
  id: string;
  action: "allow" | "deny";
  cidr: string;
  /** null = the whole API. */
  accessKeyId: string | null;
}

export interface IpDecision {
  allowed: boolean;
  /** Why a call was refused: a deny rule matched, or the address is outside an allow list. */
  reason: "denied" | "not_in_allow_list" | null;
  /** The deny rule that matched, or the first rule of the allow list the address missed. */
  rule: IpRuleInput | null;
}

const BITS: Record<IpFamily, number> = { 4: 32, 6: 128 };

function parseIPv4(text: string): bigint | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || (part.length > 1 && part.startsWith("0"))) return null;
    const n = Number(part);
    if (n > 255) return null;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseIPv6(text: string): bigint | null {
  let s = text;
  if (s.includes(".")) {
    // An embedded IPv4 tail ("::ffff:1.2.3.4") is two groups: rewrite it as hex and parse the rest as usual.
    const at = s.lastIndexOf(":");
    const v4 = at >= 0 ? parseIPv4(s.slice(at + 1)) : null;
    if (v4 === null) return null;
    s = `${s.slice(0, at + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const split = (part: string | undefined) => (part ? part.split(":") : []);
  const head = split(halves[0]);
  const back = split(halves[1]);
  if (halves.length === 1 ? head.length !== 8 : head.length + back.length > 7) return null;
  const groups = [...head, ...new Array<string>(8 - head.length - back.length).fill("0"), ...back];
  let value = 0n;
  for (const g of groups) {
    if (!/^[0-9a-f]{1,4}$/i.test(g)) return null;
    value = (value << 16n) | BigInt(parseInt(g, 16));
  }
  return value;
}

/** "1.2.3.4", "2001:db8::1", "[::1]", "fe80::1%eth0"; IPv4-mapped IPv6 comes back as IPv4. null when invalid. */
export function parseIp(input: string): IpAddress | null {
  let text = input.trim();
  if (text.startsWith("[") && text.endsWith("]")) text = text.slice(1, -1);
  const zone = text.indexOf("%");
  if (zone >= 0) text = text.slice(0, zone);
  if (!text.includes(":")) {
    const v4 = parseIPv4(text);
    return v4 === null ? null : { family: 4, value: v4 };
  }
  const v6 = parseIPv6(text);
  if (v6 === null) return null;
  if (v6 >> 32n === 0xffffn) return { family: 4, value: v6 & 0xffffffffn };
  return { family: 6, value: v6 };
}

function mask(family: IpFamily, prefix: number): bigint {
  const bits = BITS[family];
  return prefix === 0 ? 0n : ((1n << BigInt(prefix)) - 1n) << BigInt(bits - prefix);
}

export function formatIp(address: IpAddress): string {
  if (address.family === 4) {
    const v = address.value;
    return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 0xffn)).join(".");
  }
  const groups = Array.from({ length: 8 }, (_, i) => Number((address.value >> BigInt((7 - i) * 16)) & 0xffffn));
  // RFC 5952: compress the longest run of two or more zero groups, the first one on a tie.
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length && j - i >= 2) best = { start: i, length: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.start < 0) return hex.join(":");
  return `${hex.slice(0, best.start).join(":")}::${hex.slice(best.start + best.length).join(":")}`;
}

/** "10.0.0.0/8", "2001:db8::/32", or a bare address (/32, /128). Host bits are cleared. null when invalid. */
export function parseCidr(input: string): Cidr | null {
  const text = input.trim();
  const slash = text.indexOf("/");
  const address = parseIp(slash >= 0 ? text.slice(0, slash) : text);
  if (!address) return null;
  // A mapped address written as IPv6 with an IPv6 prefix ("::ffff:10.0.0.0/104") → the IPv4 prefix.
  const isMappedText = address.family === 4 && text.slice(0, slash >= 0 ? slash : undefined).includes(":");
  let prefix = BITS[address.family];
  if (slash >= 0) {
    const p = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p)) return null;
    prefix = Number(p) - (isMappedText ? 96 : 0);
    if (prefix < 0 || prefix > BITS[address.family]) return null;
  }
  const network = address.value & mask(address.family, prefix);
  return {
    family: address.family,
    network,
    prefix,
    text: `${formatIp({ family: address.family, value: network })}/${prefix}`,
  };
}

export function cidrContains(cidr: Cidr, address: IpAddress): boolean {
  return cidr.family === address.family && (address.value & mask(cidr.family, cidr.prefix)) === cidr.network;
}

/** Does the address text fall in any of the CIDR texts? Invalid entries never match. */
export function matchesAny(cidrs: readonly string[], ip: string): boolean {
  const address = parseIp(ip);
  if (!address) return false;
  return cidrs.some((c) => {
    const parsed = parseCidr(c);
    return parsed !== null && cidrContains(parsed, address);
  });
}

/** Deny wins; then the global allow list, then the key's allow list (see the module comment). */
export function evaluateIpRules(rules: readonly IpRuleInput[], ip: string | null, keyId: string | null): IpDecision {
  if (rules.length === 0) return { allowed: true, reason: null, rule: null };
  const address = ip ? parseIp(ip) : null;
  const applicable = rules.filter((r) => r.accessKeyId === null || (keyId !== null && r.accessKeyId === keyId));
  const hits = (r: IpRuleInput) => {
    if (!address) return false;
    const cidr = parseCidr(r.cidr);
    return cidr !== null && cidrContains(cidr, address);
  };
  const denied = applicable.find((r) => r.action === "deny" && hits(r));
  if (denied) return { allowed: false, reason: "denied", rule: denied };
  for (const scope of keyId === null ? [null] : [null, keyId]) {
    const allowList = applicable.filter((r) => r.action === "allow" && r.accessKeyId === scope);
    if (allowList.length && !allowList.some(hits))
      return { allowed: false, reason: "not_in_allow_list", rule: allowList[0]! };
  }
  return { allowed: true, reason: null, rule: null };
}

/** "1.2.3.4:5678" → "1.2.3.4", "[2001:db8::1]:443" → "2001:db8::1"; other text unchanged. */
function stripPort(hop: string): string {
  const text = hop.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed?.[1]) return bracketed[1];
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(text);
  return v4WithPort ? v4WithPort[1]! : text;
}

/**
 * The last peer address seen and its canonical text, kept because a hub's calls mostly come from few addresses in
 * a row (a client's connection, a proxy in front): parsing and formatting it again was a few µs of every call.
 */
let lastPeer = { remote: "", canonical: "", valid: false };

function canonicalPeer(remote: string): { canonical: string; valid: boolean } {
  if (remote !== lastPeer.remote) {
    const peer = parseIp(remote);
    lastPeer = { remote, canonical: peer ? formatIp(peer) : remote, valid: peer !== null };
  }
  return lastPeer;
}

/**
 * The address a request came from. X-Forwarded-For is believed only when the socket peer is a trusted proxy;
 * then its hops are read from the right, skipping trusted proxies, and the first untrusted hop is the client
 * (the left-most entries are whatever the client chose to send, so they never win over a proxy's own entry).
 * Returned in canonical form ("::ffff:127.0.0.1" → "127.0.0.1"), or the raw text when it is not an address.
 */
export function resolveClientIp(
  remote: string,
  forwardedFor: string | null,
  trustedProxies: readonly string[],
): string {
  const { valid, canonical } = canonicalPeer(remote);
  if (!valid || !forwardedFor || !trustedProxies.length || !matchesAny(trustedProxies, canonical)) return canonical;
  const hops = forwardedFor.split(",").map(stripPort).filter(Boolean);
  let client = canonical;
  for (const hop of hops.toReversed()) {
    const address = parseIp(hop);
    if (!address) break; // garbage from an untrusted party: stop at the last address a trusted proxy vouched for
    client = formatIp(address);
    if (!matchesAny(trustedProxies, client)) break;
  }
  return client;
}
