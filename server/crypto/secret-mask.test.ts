import { describe, expect, it } from "vitest";
import { createSecretMask, credentialValues, MASK, maskForCredential } from "./secret-mask";

const KEY = "zq7-Plain-Opaque-Key-91x";

describe("masking credentials by value", () => {
  const mask = maskForCredential(KEY);

  it("masks the key in every form upstream text carries it", () => {
    const forms = [
      KEY,
      encodeURIComponent(KEY + "/+"),
      Buffer.from(KEY).toString("base64"),
      Buffer.from(`user:${KEY}`).toString("base64"),
      Buffer.from(`:${KEY}`).toString("base64"),
      Buffer.from(`ab:${KEY}:tail`).toString("base64url"),
    ];
    for (const form of forms) {
      const masked = mask.text(`Invalid credentials: ${form} (check your account)`);
      expect(masked).toContain(MASK);
      expect(masked).not.toContain(KEY);
      expect(masked).not.toContain(form);
    }
  });

  it("masks Bedrock's access key id and secret separately, and leaves short values alone", () => {
    const bedrock = maskForCredential(
      JSON.stringify({ accessKeyId: "AKIDEXAMPLE123", secretAccessKey: "s3cr3t/Key+Value", region: "us-east-1" }),
    );
    expect(bedrock.text("id AKIDEXAMPLE123, secret s3cr3t/Key+Value, region us-east-1")).toBe(
      `id ${MASK}, secret ${MASK}, region us-east-1`,
    );
    expect(credentialValues("ollama")).toEqual([]);
    expect(maskForCredential("ollama").empty).toBe(true);
  });

  it("copies only what it changes in parsed values", () => {
    const value = { a: { b: [1, `x ${KEY}`] }, c: { d: "fine" } };
    const masked = mask.deep(value);
    expect(masked).toEqual({ a: { b: [1, `x ${MASK}`] }, c: { d: "fine" } });
    expect(masked.c).toBe(value.c);
    const clean = { e: ["nothing here"] };
    expect(mask.deep(clean)).toBe(clean);
  });

  it("masks a byte stream when the key is split between reads, holding back only a possible start of it", () => {
    const text = `data: {"error":{"message":"bad key ${KEY}"}}\n\n`;
    for (let cut = 1; cut < text.length; cut++) {
      const bytes = mask.bytes();
      const out = Buffer.concat([
        bytes.push(Buffer.from(text.slice(0, cut))),
        bytes.push(Buffer.from(text.slice(cut))),
        bytes.end(),
      ]).toString();
      expect(out).toBe(`data: {"error":{"message":"bad key ${MASK}"}}\n\n`);
    }
    // An event that ends its read is passed on whole at once: nothing waits for the next read.
    const live = mask.bytes();
    expect(Buffer.from(live.push(Buffer.from('data: {"x":"z"}\n\n'))).toString()).toBe('data: {"x":"z"}\n\n');
    expect(Buffer.from(live.push(Buffer.from("data: zq7-Pl"))).toString()).toBe("data: ");
    expect(Buffer.from(live.end()).toString()).toBe("zq7-Pl");
  });

  it("keeps multi-byte text intact", () => {
    const m = createSecretMask(["ключ-секретный-1"]);
    const bytes = m.bytes();
    const input = Buffer.from("ошибка: ключ-секретный-1 — нет");
    const out = Buffer.concat([
      bytes.push(input.subarray(0, 20)),
      bytes.push(input.subarray(20)),
      bytes.end(),
    ]).toString();
    expect(out).toBe(`ошибка: ${MASK} — нет`);
  });
});
