/**
 * AES-256-GCM sealing for stored secrets (provider keys, OAuth client secrets). The sealed form is
 * "v1.<iv>.<tag>.<ciphertext>" in base64url, so a future key rotation can add "v2" without guessing.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

export class SecretBoxError extends Error {
  override name = "SecretBoxError";
}

export interface SecretBox {
  seal(plaintext: string): string;
  open(sealed: string): string;
}

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new SecretBoxError("The secret key must be 32 bytes");
  return {
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      const tag = cipher.getAuthTag();
      return ["v1", iv.toString("base64url"), tag.toString("base64url"), data.toString("base64url")].join(".");
    },
    open(sealed) {
      const [version, iv, tag, data] = sealed.split(".");
      if (version !== "v1" || !iv || !tag || data === undefined) throw new SecretBoxError("Not a sealed secret");
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
        decipher.setAuthTag(Buffer.from(tag, "base64url"));
        return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
      } catch {
        // Wrong key or tampered data: say so without echoing anything.
        throw new SecretBoxError(
          "A stored secret could not be opened: HUB_SECRET_KEY differs from the key it was sealed with",
        );
      }
    },
  };
}

/** Last four characters, the only part of a secret any view shows. */
export function lastFour(secret: string): string {
  return secret.length <= 4 ? "****" : secret.slice(-4);
}
