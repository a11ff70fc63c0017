/**
 * The hub's secret key: HUB_SECRET_KEY when set, otherwise generated once into <HUB_DATA_DIR>/secret.key with
 * 0600 rights and reused on every later start. Losing that file makes stored provider keys unreadable, which
 * is why the README tells operators to back it up or set HUB_SECRET_KEY.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { decodeKey, getEnv } from "../env.server";
import { createSecretBox, type SecretBox } from "./secret-box";

export function loadSecretKey(dataDir: string, fromEnv: Buffer | undefined): Buffer {
  if (fromEnv) return fromEnv;
  const file = path.join(dataDir, "secret.key");
  if (fs.existsSync(file)) {
    const key = decodeKey(fs.readFileSync(file, "utf8"));
    if (!key) throw new Error(`${file} does not hold a 32-byte key (64 hex characters)`);
    return key;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  // "wx" fails if another process created the file first; then we read theirs.
  try {
    fs.writeFileSync(file, key.toString("hex") + "\n", { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return loadSecretKey(dataDir, undefined);
    throw error;
  }
  return key;
}

let box: SecretBox | undefined;

export function getSecretBox(): SecretBox {
  if (!box) {
    const env = getEnv();
    box = createSecretBox(loadSecretKey(env.dataDir, env.HUB_SECRET_KEY));
  }
  return box;
}

export function resetSecretBoxForTests(): void {
  box = undefined;
}
