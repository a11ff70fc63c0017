/**
 * Proof that what the hub sends as `accessKeySecret` is what AIGNE's CLI can read: decrypted with the real
 * crypto-js package, with the CLI's own passphrase formula (@aigne/cli utils/aigne-hub/crypto.js).
 */
import { pbkdf2Sync } from "node:crypto";
import CryptoJS from "crypto-js";
import { describe, expect, it } from "vitest";
import { aignePassphrase, decryptLikeCryptoJs, encryptAccessKeySecret, encryptLikeCryptoJs } from "./crypto-js-aes";

const cliDecrypt = (cipher: string, accessKeyId: string, challenge: string) =>
  CryptoJS.AES.decrypt(cipher, pbkdf2Sync(challenge, accessKeyId, 256, 32, "sha512").toString("hex")).toString(
    CryptoJS.enc.Utf8,
  );

describe("crypto-js compatible AES", () => {
  it("is decrypted by the real crypto-js with the CLI's passphrase formula", () => {
    const key = "hub-sk-" + "A".repeat(43);
    const secret = encryptAccessKeySecret(key, "the-challenge", "key_0123456789");
    expect(secret.startsWith("U2FsdGVkX1")).toBe(true); // base64 of "Salted__"
    expect(cliDecrypt(secret, "key_0123456789", "the-challenge")).toBe(key);
  });

  it("decrypts what crypto-js encrypts, for texts of every padding length and non-ASCII", () => {
    for (const text of ["", "a", "x".repeat(15), "y".repeat(16), "z".repeat(17), "Grüße, 世界 🚀"]) {
      const passphrase = aignePassphrase("c", "id");
      expect(decryptLikeCryptoJs(CryptoJS.AES.encrypt(text, passphrase).toString(), passphrase)).toBe(text);
      expect(CryptoJS.AES.decrypt(encryptLikeCryptoJs(text, passphrase), passphrase).toString(CryptoJS.enc.Utf8)).toBe(
        text,
      );
    }
  });

  it("matches crypto-js byte for byte with the same salt", () => {
    const salt = Buffer.from("0011223344556677", "hex");
    const ours = encryptLikeCryptoJs("hello", "pass", salt);
    // crypto-js passphrase mode, with the salt fixed instead of random: its OpenSSL KDF (8-word key, 4-word IV).
    const kdf = CryptoJS.kdf.OpenSSL.execute("pass", 8, 4, CryptoJS.lib.WordArray.create([0x00112233, 0x44556677]));
    const fixed = CryptoJS.AES.encrypt("hello", kdf.key, { iv: kdf.iv });
    const expected = CryptoJS.format.OpenSSL.stringify(
      CryptoJS.lib.CipherParams.create({ ciphertext: fixed.ciphertext, salt: kdf.salt }),
    );
    expect(ours).toBe(expected);
  });

  it("uses a fresh salt each time, and a wrong challenge does not decrypt", () => {
    const a = encryptAccessKeySecret("hub-sk-x", "c1", "id");
    const b = encryptAccessKeySecret("hub-sk-x", "c1", "id");
    expect(a).not.toBe(b);
    let wrong: string;
    try {
      wrong = cliDecrypt(a, "id", "c2");
    } catch {
      wrong = ""; // a wrong key usually fails outright (bad padding); either way it must not give the key back
    }
    expect(wrong).not.toBe("hub-sk-x");
  });
});
