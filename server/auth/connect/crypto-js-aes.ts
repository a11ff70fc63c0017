/**
 * What AIGNE's CLI decrypts (docs/aigne-protocol.md, "The CLI's connect flow" step 5), built on node:crypto so the server carries no
 * crypto-js: `CryptoJS.AES.encrypt(text, passphrase).toString()` is OpenSSL's "Salted__" format, i.e.
 * base64("Salted__" + 8-byte salt + AES-256-CBC(PKCS#7) ciphertext), with key and IV from the passphrase and salt
 * by EVP_BytesToKey (MD5, one iteration). The passphrase is the hex of
 * pbkdf2(password = challenge, salt = accessKeyId, 256 iterations, 32 bytes, sha512).
 * A test proves the round trip against the real crypto-js package.
 */
import { createCipheriv, createDecipheriv, createHash, pbkdf2Sync, randomBytes } from "node:crypto";

const MAGIC = Buffer.from("Salted__", "latin1");

/** OpenSSL's EVP_BytesToKey with MD5: 32 key bytes then 16 IV bytes. */
function bytesToKey(passphrase: Buffer, salt: Buffer): { key: Buffer; iv: Buffer } {
  const blocks: Buffer[] = [];
  let previous = Buffer.alloc(0);
  let length = 0;
  while (length < 48) {
    previous = createHash("md5")
      .update(Buffer.concat([previous, passphrase, salt]))
      .digest();
    blocks.push(previous);
    length += previous.length;
  }
  const all = Buffer.concat(blocks);
  return { key: all.subarray(0, 32), iv: all.subarray(32, 48) };
}

export function encryptLikeCryptoJs(plaintext: string, passphrase: string, salt: Buffer = randomBytes(8)): string {
  const { key, iv } = bytesToKey(Buffer.from(passphrase, "utf8"), salt);
  const cipher = createCipheriv("aes-256-cbc", key, iv);
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return Buffer.concat([MAGIC, salt, body]).toString("base64");
}

export function decryptLikeCryptoJs(ciphertext: string, passphrase: string): string {
  const raw = Buffer.from(ciphertext, "base64");
  if (raw.length < 32 || !raw.subarray(0, 8).equals(MAGIC)) throw new Error("Not an OpenSSL salted ciphertext");
  const { key, iv } = bytesToKey(Buffer.from(passphrase, "utf8"), raw.subarray(8, 16));
  const decipher = createDecipheriv("aes-256-cbc", key, iv);
  return Buffer.concat([decipher.update(raw.subarray(16)), decipher.final()]).toString("utf8");
}

/** The passphrase AIGNE's CLI derives from the session's challenge and the key's id. */
export function aignePassphrase(challenge: string, accessKeyId: string): string {
  return pbkdf2Sync(challenge, accessKeyId, 256, 32, "sha512").toString("hex");
}

/** `accessKeySecret` of AIGNE's access-key session: the key, readable only with challenge and key id. */
export function encryptAccessKeySecret(key: string, challenge: string, accessKeyId: string): string {
  return encryptLikeCryptoJs(key, aignePassphrase(challenge, accessKeyId));
}
