/**
 * `npm run seed:usage -- --rows N [--days D]`: realistic model calls for the usage pages and their benchmark,
 * written into the configured database (HUB_DATA_DIR / DATABASE_URL): 20 users with keys and apps, eleven
 * models on six providers, a daily rhythm, 3 % failures, streams with time to first token. Calls are made hour by
 * hour in time order and their rollups built alongside (the same RollupBuilder as a rebuild), each hour written in
 * one transaction, so memory stays flat at tens of millions of calls. Into a database that already has calls, the
 * rollups are rebuilt from all of them at the end instead.
 */
import { parseArgs } from "node:util";
import { accessKeys, users } from "../drizzle/schema";
import { generateAccessKey } from "../server/access-keys/manage.server";
import { newId } from "../server/crypto/tokens";
import { getDatabase } from "../server/db/client.server";
import { migrateDatabase } from "../server/db/migrate.server";
import type { InStatement } from "@libsql/client";
import { rebuildRollups, RollupBuilder } from "../server/usage/rebuild-rollups.server";
import { seededRandom } from "../test/helpers/seeded-random";

const { values } = parseArgs({
  options: { rows: { type: "string", default: "100000" }, days: { type: "string", default: "30" } },
});
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
const HOUR = 3_600_000;

async function main() {
  const database = await getDatabase();
  await migrateDatabase(database);
  const { db, client } = database;
  // A bulk load: no fsync per batch (the data is regenerable).
  await client.execute("PRAGMA synchronous = OFF");
  const random = seededRandom(7);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;

  const people: Array<{ userId: string; keys: Array<{ id: string; app: string | null; lastUsed: number }> }> = [];
  for (let u = 0; u < 20; u++) {
    const userId = newId("usr");
    await db
      .insert(users)
      .values({ id: userId, email: `seed-user-${u}-${userId.slice(-6)}@example.com`, name: `Seed User ${u}` });
    const keys = [];
    for (let k = 0; k < 1 + (u % 3); k++) {
      const id = newId("key");
      const app = pick(APPS);
      const { prefix, hash } = generateAccessKey();
      await db.insert(accessKeys).values({ id, userId, name: `seed key ${k}`, appName: app, prefix, keyHash: hash });
      keys.push({ id, app, lastUsed: 0 });
    }
    people.push({ userId, keys });
  }

  const existing = Number((await client.execute("select count(*) as n from model_calls")).rows[0]!.n);
  // Bigger page cache for the index inserts; the indexes grow at their ends since calls come in time order.
  await client.execute("PRAGMA cache_size = -262144");
  const builder = existing ? null : new RollupBuilder();

  const now = Date.now();
  const start = now - days * 86_400_000;
  const firstHour = start - (start % HOUR);
  // More calls in working hours: each hour's share of the rows follows the day.
  const weight = (hour: number) => 0.35 + 0.65 * Math.sin((Math.PI * ((hour / HOUR) % 24)) / 24) ** 2;
  const hours: number[] = [];
  for (let h = firstHour; h < now; h += HOUR) hours.push(h);
  const totalWeight = hours.reduce((a, h) => a + weight(h) * (Math.min(h + HOUR, now) - Math.max(h, start)), 0);

  const columns = [
    "id",
    "request_id",
    "user_id",
    "access_key_id",
    "app_name",
    "type",
    "endpoint",
    "api",
    "stream",
    "requested_model",
    "provider_name",
    "model",
    "status",
    "input_tokens",
    "output_tokens",
    "cached_input_tokens",
    "usage_source",
    "cost_micro",
    "duration_ms",
    "ttft_ms",
    "http_status",
    "error_code",
    "created_at",
    "finished_at",
  ];
  // One JSON array of rows per statement, unpacked by json_each: the libSQL client keeps about 100 bytes for every
  // bound value it is given, so binding 23 values per call ran a 10-million-call seed out of memory.
  const insert = `insert into model_calls (${columns.join(",")}) select ${columns.map((_, i) => `value ->> ${i}`).join(", ")} from json_each(?)`;
  const perStatement = 2000;
  const t0 = performance.now();
  let made = 0;
  let cumulative = 0;
  for (const hour of hours) {
    const from = Math.max(hour, start);
    const to = Math.min(hour + HOUR, now);
    cumulative += weight(hour) * (to - from);
    const n = Math.round((rows * cumulative) / totalWeight) - made;
    const times = Array.from({ length: n }, () => Math.floor(from + random() * (to - from))).sort((a, b) => a - b);
    const statements: InStatement[] = [];
    for (let i = 0; i < n; i += perStatement) {
      const values: Array<Array<string | number | null>> = [];
      for (const t of times.slice(i, i + perStatement)) {
        const person = people[Math.floor(random() ** 1.7 * people.length)]!; // a few heavy users
        const key = pick(person.keys);
        key.lastUsed = t;
        const [provider, model, inRate, outRate] = pick(MODELS);
        const embedding = model.includes("embedding");
        const failed = random() < 0.03;
        const stream = !embedding && random() < 0.6;
        const input = Math.floor(50 + random() ** 2 * 4000);
        const output = embedding || failed ? 0 : Math.floor(20 + random() ** 2 * 1500);
        const duration = Math.floor(embedding ? 40 + random() * 200 : 300 + output * (8 + random() * 20));
        const cost = failed ? 0 : Math.ceil((input * inRate + output * outRate) / 1_000_000);
        const cached = random() < 0.2 ? Math.floor(input * 0.5) : null;
        const ttft = stream ? Math.floor(150 + random() * 900) : null;
        // Chat calls arrive on all three chat-shaped APIs (Chat Completions, Responses, Anthropic Messages).
        const [api, endpoint] = embedding ? ["embeddings", "/api/v2/embeddings"] : pick(CHAT_APIS);
        values.push([
          newId("call"),
          `seed-${made}`,
          person.userId,
          key.id,
          key.app,
          embedding ? "embedding" : "chat",
          endpoint,
          api,
          stream ? 1 : 0,
          `${provider}/${model}`,
          provider,
          model,
          failed ? "failed" : "success",
          input,
          failed ? null : output,
          cached,
          "provider",
          cost,
          duration,
          ttft,
          failed ? 502 : 200,
          failed ? "upstream_error" : null,
          t,
          t + duration,
        ]);
        builder?.add({
          createdAt: t,
          status: failed ? "failed" : "success",
          userId: person.userId,
          accessKeyId: key.id,
          appName: key.app,
          providerName: provider,
          model,
          inputTokens: input,
          outputTokens: failed ? null : output,
          cachedInputTokens: cached,
          images: null,
          costMicro: cost,
          durationMs: duration,
          ttftMs: ttft,
        });
        made++;
      }
      statements.push({ sql: insert, args: [JSON.stringify(values)] });
    }
    const dayEnds = (hour + HOUR) % 86_400_000 === 0 || hour === hours.at(-1);
    if (builder) statements.push(...builder.take(dayEnds));
    if (statements.length) await client.batch(statements, "write");
    if (hours.indexOf(hour) % 24 === 23)
      process.stdout.write(
        `\r${made} calls, ${((performance.now() - t0) / 1000).toFixed(0)} s, rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB   `,
      );
  }
  // The Keys page shows when a key was last used: the gateway sets it on every call, so the seed does too.
  for (const { keys } of people)
    for (const key of keys)
      if (key.lastUsed)
        await client.execute({
          sql: "update access_keys set last_used_at = ? where id = ?",
          args: [key.lastUsed, key.id],
        });
  const inserted = performance.now();
  if (!builder) await rebuildRollups();
  const rollups = await client.execute("select bucket, count(*) as n from usage_rollups group by bucket");
  const how = builder
    ? "with their rollups"
    : `then rollups rebuilt in ${((performance.now() - inserted) / 1000).toFixed(1)} s`;
  console.log(
    `\nSeeded ${made} calls over ${days} days in ${((inserted - t0) / 1000).toFixed(1)} s ${how} (${rollups.rows.map((r) => `${r.n} ${r.bucket}`).join(", ")} rows); peak rss ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB.`,
  );
  client.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
