import { describe, expect, it } from "vitest";
import {
  cidrContains,
  evaluateIpRules,
  formatIp,
  matchesAny,
  parseCidr,
  parseIp,
  resolveClientIp,
  type IpRuleInput,
} from "./ip-rules";

const rule = (id: string, action: "allow" | "deny", cidr: string, accessKeyId: string | null = null): IpRuleInput => ({
  id,
  action,
  cidr,
  accessKeyId,
});

describe("parseIp", () => {
  it("reads IPv4", () => {
    expect(parseIp("10.1.2.3")).toEqual({ family: 4, value: 0x0a010203n });
    expect(parseIp("255.255.255.255")?.value).toBe(0xffffffffn);
    expect(parseIp(" 0.0.0.0 ")?.value).toBe(0n);
  });
  it("refuses malformed IPv4", () => {
    for (const bad of ["256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.-4", "a.b.c.d", "", "1..2.3"])
      expect(parseIp(bad), bad).toBeNull();
  });
  it("reads IPv6 in every shape", () => {
    expect(parseIp("::1")).toEqual({ family: 6, value: 1n });
    expect(parseIp("::")).toEqual({ family: 6, value: 0n });
    expect(parseIp("2001:db8::")?.value).toBe(0x20010db8n << 96n);
    expect(parseIp("2001:DB8:0:0:0:0:0:1")?.value).toBe((0x20010db8n << 96n) | 1n);
    expect(parseIp("[2001:db8::1]")?.value).toBe((0x20010db8n << 96n) | 1n);
    expect(parseIp("fe80::1%eth0")?.value).toBe((0xfe80n << 112n) | 1n);
    expect(parseIp("64:ff9b::192.0.2.33")?.value).toBe((0x64ff9bn << 96n) | 0xc0000221n);
  });
  it("refuses malformed IPv6", () => {
    for (const bad of [
      "1::2::3",
      ":1:2:3:4:5:6:7",
      "1:2:3:4:5:6:7",
      "1:2:3:4:5:6:7:8:9",
      "12345::",
      "g::1",
      "1:2:3:4:5:6:7::8",
      "::1.2.3",
      ":::",
    ]) {
      expect(parseIp(bad), bad).toBeNull();
    }
  });
  it("treats IPv4-mapped IPv6 as IPv4 (what Node reports on a dual-stack socket)", () => {
    expect(parseIp("::ffff:127.0.0.1")).toEqual({ family: 4, value: 0x7f000001n });
    expect(parseIp("::ffff:7f00:1")).toEqual({ family: 4, value: 0x7f000001n });
  });
});

describe("formatIp", () => {
  it("prints canonical forms (RFC 5952)", () => {
    const round = (s: string) => formatIp(parseIp(s)!);
    expect(round("2001:0db8:0000:0000:0000:0000:0000:0001")).toBe("2001:db8::1");
    expect(round("2001:db8:0:1:0:0:0:1")).toBe("2001:db8:0:1::1");
    expect(round("2001:db8:0:0:1:0:0:1")).toBe("2001:db8::1:0:0:1");
    expect(round("::")).toBe("::");
    expect(round("::ffff:10.0.0.1")).toBe("10.0.0.1");
    expect(round("1:2:3:4:5:6:7:8")).toBe("1:2:3:4:5:6:7:8");
  });
});

describe("parseCidr", () => {
  it("reads prefixes and bare addresses", () => {
    expect(parseCidr("10.0.0.0/8")).toMatchObject({ family: 4, prefix: 8, text: "10.0.0.0/8" });
    expect(parseCidr("192.168.1.7")).toMatchObject({ prefix: 32, text: "192.168.1.7/32" });
    expect(parseCidr("2001:db8::/32")).toMatchObject({ family: 6, prefix: 32, text: "2001:db8::/32" });
    expect(parseCidr("::1")).toMatchObject({ prefix: 128, text: "::1/128" });
    expect(parseCidr("0.0.0.0/0")?.text).toBe("0.0.0.0/0");
    expect(parseCidr("::/0")?.text).toBe("::/0");
  });
  it("clears host bits", () => {
    expect(parseCidr("10.1.2.3/8")?.text).toBe("10.0.0.0/8");
    expect(parseCidr("2001:db8:abcd::1/32")?.text).toBe("2001:db8::/32");
  });
  it("reads a mapped IPv6 prefix as the IPv4 prefix", () => {
    expect(parseCidr("::ffff:10.0.0.0/104")?.text).toBe("10.0.0.0/8");
  });
  it("refuses bad prefixes", () => {
    for (const bad of [
      "10.0.0.0/33",
      "10.0.0.0/-1",
      "10.0.0.0/",
      "10.0.0.0/8/8",
      "2001:db8::/129",
      "10.0.0.0/a",
      "nope/8",
      "::ffff:10.0.0.0/95",
    ]) {
      expect(parseCidr(bad), bad).toBeNull();
    }
  });
});

describe("cidrContains", () => {
  it("matches inside the prefix only, and never across families", () => {
    const net = parseCidr("10.0.0.0/8")!;
    expect(cidrContains(net, parseIp("10.255.0.1")!)).toBe(true);
    expect(cidrContains(net, parseIp("11.0.0.1")!)).toBe(false);
    expect(cidrContains(net, parseIp("::ffff:10.0.0.9")!)).toBe(true);
    expect(cidrContains(parseCidr("::/0")!, parseIp("10.0.0.1")!)).toBe(false);
    expect(cidrContains(parseCidr("0.0.0.0/0")!, parseIp("2001:db8::1")!)).toBe(false);
    const v6 = parseCidr("2001:db8::/32")!;
    expect(cidrContains(v6, parseIp("2001:db8:ffff::1")!)).toBe(true);
    expect(cidrContains(v6, parseIp("2001:db9::1")!)).toBe(false);
    expect(cidrContains(parseCidr("192.168.1.7")!, parseIp("192.168.1.8")!)).toBe(false);
  });
  it("matchesAny ignores invalid entries", () => {
    expect(matchesAny(["garbage", "10.0.0.0/8"], "10.1.1.1")).toBe(true);
    expect(matchesAny(["garbage"], "10.1.1.1")).toBe(false);
    expect(matchesAny(["10.0.0.0/8"], "not an ip")).toBe(false);
  });
});

describe("evaluateIpRules", () => {
  it("allows everything without rules", () => {
    expect(evaluateIpRules([], "203.0.113.5", "key_1")).toEqual({ allowed: true, reason: null, rule: null });
  });
  it("a global deny refuses every key; a key's deny only that key", () => {
    const rules = [rule("r1", "deny", "203.0.113.0/24"), rule("r2", "deny", "198.51.100.0/24", "key_a")];
    expect(evaluateIpRules(rules, "203.0.113.9", "key_a")).toMatchObject({
      allowed: false,
      reason: "denied",
      rule: { id: "r1" },
    });
    expect(evaluateIpRules(rules, "198.51.100.1", "key_a")).toMatchObject({ allowed: false, rule: { id: "r2" } });
    expect(evaluateIpRules(rules, "198.51.100.1", "key_b").allowed).toBe(true);
    expect(evaluateIpRules(rules, "198.51.100.1", null).allowed).toBe(true);
  });
  it("a global allow list refuses addresses outside it", () => {
    const rules = [rule("a1", "allow", "10.0.0.0/8"), rule("a2", "allow", "2001:db8::/32")];
    expect(evaluateIpRules(rules, "10.2.3.4", "k").allowed).toBe(true);
    expect(evaluateIpRules(rules, "2001:db8::5", "k").allowed).toBe(true);
    expect(evaluateIpRules(rules, "192.0.2.1", "k")).toMatchObject({
      allowed: false,
      reason: "not_in_allow_list",
      rule: { id: "a1" },
    });
  });
  it("deny wins over allow", () => {
    const rules = [rule("a", "allow", "10.0.0.0/8"), rule("d", "deny", "10.6.6.6")];
    expect(evaluateIpRules(rules, "10.6.6.6", null)).toMatchObject({
      allowed: false,
      reason: "denied",
      rule: { id: "d" },
    });
    expect(evaluateIpRules(rules, "10.6.6.7", null).allowed).toBe(true);
  });
  it("a key's allow list restricts that key, on top of the global list", () => {
    const rules = [rule("g", "allow", "10.0.0.0/8"), rule("k", "allow", "10.1.0.0/16", "key_a")];
    expect(evaluateIpRules(rules, "10.1.2.3", "key_a").allowed).toBe(true);
    expect(evaluateIpRules(rules, "10.2.2.3", "key_a")).toMatchObject({ allowed: false, rule: { id: "k" } });
    expect(evaluateIpRules(rules, "10.2.2.3", "key_b").allowed).toBe(true);
    expect(evaluateIpRules([rule("k", "allow", "10.1.0.0/16", "key_a")], "192.0.2.1", "key_b").allowed).toBe(true);
  });
  it("an unknown or unreadable address passes deny lists but fails allow lists", () => {
    expect(evaluateIpRules([rule("d", "deny", "0.0.0.0/0")], null, null).allowed).toBe(true);
    expect(evaluateIpRules([rule("a", "allow", "0.0.0.0/0")], "nonsense", null).allowed).toBe(false);
  });
  it("matches a dual-stack socket's mapped address against IPv4 rules", () => {
    expect(evaluateIpRules([rule("d", "deny", "127.0.0.1")], "::ffff:127.0.0.1", "k").allowed).toBe(false);
  });
});

describe("resolveClientIp", () => {
  const proxies = ["10.0.0.0/8", "2001:db8:1::/48"];
  it("ignores X-Forwarded-For from an untrusted peer", () => {
    expect(resolveClientIp("203.0.113.7", "1.2.3.4", proxies)).toBe("203.0.113.7");
    expect(resolveClientIp("10.0.0.2", "1.2.3.4", [])).toBe("10.0.0.2");
  });
  it("takes the first untrusted hop from the right behind trusted proxies", () => {
    expect(resolveClientIp("10.0.0.2", "198.51.100.9", proxies)).toBe("198.51.100.9");
    expect(resolveClientIp("10.0.0.2", "6.6.6.6, 198.51.100.9, 10.0.0.5", proxies)).toBe("198.51.100.9");
    expect(resolveClientIp("::ffff:10.0.0.2", "198.51.100.9", proxies)).toBe("198.51.100.9");
    expect(resolveClientIp("2001:db8:1::5", "2001:db8:2::7", proxies)).toBe("2001:db8:2::7");
  });
  it("strips ports and brackets", () => {
    expect(resolveClientIp("10.0.0.2", "198.51.100.9:5555", proxies)).toBe("198.51.100.9");
    expect(resolveClientIp("10.0.0.2", "[2001:db8:2::7]:443", proxies)).toBe("2001:db8:2::7");
  });
  it("stops at garbage and keeps the last address a trusted proxy vouched for", () => {
    expect(resolveClientIp("10.0.0.2", "unknown, 10.0.0.3", proxies)).toBe("10.0.0.3");
    expect(resolveClientIp("10.0.0.2", "", proxies)).toBe("10.0.0.2");
  });
  it("returns the left-most hop when every hop is a trusted proxy", () => {
    expect(resolveClientIp("10.0.0.2", "10.0.0.9, 10.0.0.8", proxies)).toBe("10.0.0.9");
  });
  it("normalizes the peer address", () => {
    expect(resolveClientIp("::ffff:127.0.0.1", null, [])).toBe("127.0.0.1");
  });
});
