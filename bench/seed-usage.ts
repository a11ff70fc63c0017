/**
 * `npm run seed:usage -- --rows N [--days D]`: realistic model calls for the usage pages and their benchmark,
 * written into the configured database (HUB_DATA_DIR / DATABASE_URL): 20 users with keys and apps, eleven
 * models on six providers, a daily rhythm, 3 % failures, streams with time to first token; then the rollups
 * are rebuilt from them.
 */
import { parseArgs } from "node:util";
import { accessKeys, users } from "../drizzle/schema";
import { generateAccessKey } from "../server/auth/access-keys.server";
import { newId } from "../server/crypto/tokens";
import { getDatabase } from "../server/db/client.server";
import { migrateDatabase } from "../server/db/migrate.server";
import { rebuildRollups } from "../server/usage/rebuild-rollups.server";
import { seededRandom } from "../test/helpers/seeded-random";

const { values } = parseArgs({ options: { rows: { type: "string", default: "100000" }, days: { type: "string", default: "30" } } });
const rows = Number(values.rows);
const days = Number(values.days);
if (!Number.isInteger(rows) || rows <= 0 || !Number.isInteger(days) || days <= 0) {
  console.error("Usage: npm run seed:usage -- --rows N [--days D]");
  process.exit(2);
}

const MODELS: Array<[string, string, number, number]> = [
  // provider, model, input and output micro-credits per million tokens (for cost)
  ["openai", "gpt-4o-mini", 150_000, 600_000],
  ["openai", "gpt-4o", 2_500_000, 10_000_000],
  ["openai", "text-embedding-3-small", 20_000, 0],
  ["anthropic", "claude-sonnet-4-5", 3_000_000, 15_000_000],
  ["anthropic", "claude-haiku-4-5", 1_000_000, 5_000_000],
  ["google", "gemini-2.5-flash", 300_000, 2_500_000],
  ["google", "gemini-2.5-pro", 1_250_000, 10_000_000],
  ["deepseek", "deepseek-chat", 270_000, 1_100_000],
  ["xai", "grok-4", 3_000_000, 15_000_000],
  ["bedrock", "anthropic.claude-3-5-haiku", 800_000, 4_000_000],
  ["mock", "mock-chat", 0, 0],
];
const APPS = ["support-bot", "code-review", "search", null];
const CHAT_APIS = [
  ["chat", "/api/v2/chat/completions"],
  ["chat", "/v1/chat/completions"],
  ["responses", "/v1/responses"],
  ["messages", "/v1/messages"],
] as const;

async function main() {
  const database = await getDatabase();
  await migrateDatabase(database);
  const { db, client } = database;
  // A bulk load: no fsync per batch (the data is regenerable).
  await client.execute("PRAGMA synchronous = OFF");
  const random = seededRandom(7);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;

  const people: Array<{ userId: string; keys: Array<{ id: string; app: string | null }> }> = [];
  for (let u = 0; u < 20; u++) {
    const userId = newId("usr");
    await db.insert(users).values({ id: userId, email: `seed-user-${u}-${userId.slice(-6)}@example.com`, name: `Seed User ${u}` });
    const keys = [];
    for (let k = 0; k < 1 + (u % 3); k++) {
      const id = newId("key");
      const app = pick(APPS);
      const { prefix, hash } = generateAccessKey();
      await db.insert(accessKeys).values({ id, userId, name: `seed key ${k}`, appName: app, prefix, keyHash: hash });
      keys.push({ id, app });
    }
    people.push({ userId, keys });
  }

  const now = Date.now();
  const start = now - days * 86_400_000;
  const columns = ["id", "request_id", "user_id", "access_key_id", "app_name", "type", "endpoint", "api", "stream", "requested_model", "provider_name", "model", "status", "input_tokens", "output_tokens", "cached_input_tokens", "usage_source", "cost_micro", "duration_ms", "ttft_ms", "http_status", "error_code", "created_at", "finished_at"];
  const tuple = `(${columns.map(() => "?").join(",")})`;
  const batchSize = 500;
  const t0 = performance.now();
  for (let done = 0; done < rows; done += batchSize) {
    const args: Array<string | number | null> = [];
    const n = Math.min(batchSize, rows - done);
    for (let i = 0; i < n; i++) {
      // More calls in working hours: accept a uniform time with a probability that follows the day.
      let t: number;
      do t = start + random() * (now - start);
      while (random() > 0.35 + 0.65 * Math.sin((Math.PI * ((t / 3_600_000) % 24)) / 24) ** 2);
      const person = people[Math.floor(random() ** 1.7 * people.length)]!; // a few heavy users
      const key = pick(person.keys);
      const [provider, model, inRate, outRate] = pick(MODELS);
      const embedding = model.includes("embedding");
      const failed = random() < 0.03;
      const stream = !embedding && random() < 0.6;
      // Chat calls arrive on all three chat-shaped APIs (Chat Completions, Responses, Anthropic Messages).
      const [api, endpoint] = embedding ? ["embeddings", "/api/v2/embeddings"] : pick(CHAT_APIS);
      const input = Math.floor(50 + random() ** 2 * 4000);
      const output = embedding || failed ? 0 : Math.floor(20 + random() ** 2 * 1500);
      const duration = Math.floor(embedding ? 40 + random() * 200 : 300 + output * (8 + random() * 20));
      const cost = Math.ceil((input * inRate + output * outRate) / 1_000_000);
      args.push(newId("call"), `seed-${done + i}`, person.userId, key.id, key.app, embedding ? "embedding" : "chat", endpoint, api, stream ? 1 : 0, `${provider}/${model}`, provider, model, failed ? "failed" : "success", input, failed ? null : output, random() < 0.2 ? Math.floor(input * 0.5) : null, "provider", failed ? 0 : cost, duration, stream ? Math.floor(150 + random() * 900) : null, failed ? 502 : 200, failed ? "upstream_error" : null, Math.floor(t), Math.floor(t + duration));
    }
    await client.execute({ sql: `insert into model_calls (${columns.join(",")}) values ${Array.from({ length: n }, () => tuple).join(",")}`, args });
  }
  const inserted = performance.now();
  await rebuildRollups();
  const rollups = await client.execute("select bucket, count(*) as n from usage_rollups group by bucket");
  console.log(`Seeded ${rows} calls over ${days} days in ${((inserted - t0) / 1000).toFixed(1)} s; rollups rebuilt in ${((performance.now() - inserted) / 1000).toFixed(1)} s (${rollups.rows.map((r) => `${r.n} ${r.bucket}`).join(", ")} rows).`);
  client.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
