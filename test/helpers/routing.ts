/**
 * Routing set-ups for gateway tests: extra credentials on a provider (each may point at its own upstream) and
 * fallback models, written the way the admin console writes them, then the catalog invalidated.
 */
import { eq } from "drizzle-orm";
import { credentials, models } from "@drizzle/schema";
import { publish } from "@server/cache/invalidation.server";
import { getSecretBox } from "@server/crypto/secret-key.server";
import { newId } from "@server/crypto/tokens";
import { getDb } from "@server/db/client.server";

export async function addCredential(
  providerId: string,
  input: { name: string; secret: string; baseUrl?: string; weight?: number },
): Promise<string> {
  const db = await getDb();
  const id = newId("crd");
  await db.insert(credentials).values({
    id,
    providerId,
    name: input.name,
    sealedSecret: getSecretBox().seal(input.secret),
    secretLast4: input.secret.slice(-4),
    baseUrl: input.baseUrl ?? null,
    weight: input.weight ?? 1,
  });
  publish("catalog");
  return id;
}

export async function setFallbackModels(modelId: string, fallbackModels: string[]): Promise<void> {
  const db = await getDb();
  await db.update(models).set({ fallbackModels }).where(eq(models.id, modelId));
  publish("catalog");
}
