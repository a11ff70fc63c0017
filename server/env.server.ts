/**
 * Configuration, read from the environment and checked with zod once at boot. Everything else in the server
 * asks `getEnv()`; nothing else reads process.env. A bad value stops the start with one line naming the
 * variable (see `formatEnvError`).
 */
import path from "node:path";
import { z } from "zod";

const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const urlString = (protocols: string[], what: string) =>
  z
    .string()
    .trim()
    .refine((v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    }, `must be ${what}`);

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().trim().min(1).default("0.0.0.0"),
    PUBLIC_URL: urlString(["http:", "https:"], "an http(s) URL such as https://hub.example.com").optional(),
    HUB_DATA_DIR: z.string().trim().min(1).default("./data"),
    DATABASE_URL: urlString(
      ["file:", "libsql:", "http:", "https:", "ws:", "wss:"],
      "a file:, libsql:// or http(s):// URL",
    ).optional(),
    DATABASE_AUTH_TOKEN: optionalString,
    HUB_SECRET_KEY: z
      .string()
      .trim()
      .refine((v) => decodeKey(v) !== null, "must be 32 bytes as 64 hex characters or base64")
      .optional(),
    REDIS_URL: urlString(["redis:", "rediss:"], "a redis:// or rediss:// URL").optional(),
    GITHUB_CLIENT_ID: optionalString,
    GITHUB_CLIENT_SECRET: optionalString,
    GOOGLE_CLIENT_ID: optionalString,
    GOOGLE_CLIENT_SECRET: optionalString,
    OIDC_ISSUER: urlString(["http:", "https:"], "the issuer's http(s) URL").optional(),
    OIDC_CLIENT_ID: optionalString,
    OIDC_CLIENT_SECRET: optionalString,
    OIDC_NAME: z.string().trim().min(1).default("Single sign-on"),
    LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
    /** Stripe's webhook signing secret (whsec_...) for credit top-ups; overrides the one set in the console. */
    STRIPE_WEBHOOK_SECRET: optionalString,
    /** Largest accepted API request body, in bytes. */
    HUB_MAX_BODY_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(10 * 1024 * 1024),
    /** How long a client may take to send a request body before it gets a 408. */
    HUB_BODY_TIMEOUT_MS: z.coerce.number().int().min(1000).default(60_000),
    /** Failed authentications per client address and minute before 429 (0: no limit); the console's setting wins. */
    HUB_AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(0).default(20),
    /** Bearer token for GET /metrics (Prometheus); overrides the one set in the console. Unset and unset there: 404. */
    HUB_METRICS_TOKEN: optionalString.refine(
      (v) => v === undefined || v.length >= 16,
      "must be at least 16 characters",
    ),
    /**
     * How often this process records that it is alive (hub_instances). An instance silent for three beats has
     * stopped: another closes its open calls and releases their credit holds.
     */
    HUB_HEARTBEAT_MS: z.coerce.number().int().min(100).max(10_000).default(5_000),
    /**
     * On a SQLite file, a finished call's record is appended to a journal before its answer ends and committed
     * right after it ("on"), or committed before the answer ends ("off"). "journal-only" never commits journaled
     * records: only for tests of the journal's replay after a crash (docs/decisions/020-call-journal.md).
     */
    HUB_CALL_JOURNAL: z.enum(["on", "off", "journal-only"]).default("on"),
    /**
     * How far V8's old generation grows past what its last full collection kept, in per cent, before it collects
     * again (0: V8 picks the factor itself). Lower: a flatter, smaller RSS for more GC work
     * (docs/decisions/024-heap-growth.md).
     */
    HUB_HEAP_GROWING_PERCENT: z.coerce
      .number()
      .int()
      .refine((v) => v === 0 || (v >= 10 && v <= 300), "must be 0 or from 10 to 300")
      .default(50),
  })
  .superRefine((env, ctx) => {
    const pairs: Array<[keyof typeof env, keyof typeof env]> = [
      ["GITHUB_CLIENT_ID", "GITHUB_CLIENT_SECRET"],
      ["GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET"],
      ["OIDC_CLIENT_ID", "OIDC_ISSUER"],
    ];
    for (const [a, b] of pairs) {
      if (Boolean(env[a]) !== Boolean(env[b])) {
        const missing = env[a] ? b : a;
        ctx.addIssue({ code: "custom", path: [missing], message: `is required when ${env[a] ? a : b} is set` });
      }
    }
  });

export type RawEnv = z.infer<typeof schema>;

export interface HubEnv extends Omit<RawEnv, "DATABASE_URL" | "PUBLIC_URL" | "HUB_SECRET_KEY"> {
  DATABASE_URL: string;
  PUBLIC_URL: string;
  /** The decoded 32-byte key when given in the environment; otherwise it comes from <HUB_DATA_DIR>/secret.key. */
  HUB_SECRET_KEY: Buffer | undefined;
  /** Absolute data directory. */
  dataDir: string;
  /** True when DATABASE_URL points at a local SQLite file. */
  isLocalDatabase: boolean;
}

export class EnvError extends Error {
  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = "EnvError";
  }
}

/** Parse a given environment (pure apart from path resolution against `cwd`); throws EnvError. */
export function parseEnv(source: Record<string, string | undefined>, cwd = process.cwd()): HubEnv {
  const result = schema.safeParse(source);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const variable = String(issue.path[0] ?? "environment");
    const value = source[variable];
    const problem =
      issue.code === "invalid_value" ||
      issue.code === "invalid_type" ||
      issue.code === "too_small" ||
      issue.code === "too_big"
        ? `${describeIssue(issue)} (got ${JSON.stringify(redactForMessage(variable, value))})`
        : issue.message;
    throw new EnvError(variable, problem);
  }
  const raw = result.data;
  const dataDir = path.resolve(cwd, raw.HUB_DATA_DIR);
  const databaseUrl = raw.DATABASE_URL ?? `file:${path.join(dataDir, "hub.db")}`;
  const publicUrl = (raw.PUBLIC_URL ?? `http://localhost:${raw.PORT}`).replace(/\/+$/, "");
  return {
    ...raw,
    DATABASE_URL: databaseUrl,
    PUBLIC_URL: publicUrl,
    HUB_SECRET_KEY: raw.HUB_SECRET_KEY ? decodeKey(raw.HUB_SECRET_KEY)! : undefined,
    dataDir,
    isLocalDatabase: databaseUrl.startsWith("file:"),
  };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_value" && "values" in issue) return `must be one of ${issue.values.join(", ")}`;
  if (issue.code === "too_small") return `must be at least ${String(issue.minimum)}`;
  if (issue.code === "too_big") return `must be at most ${String(issue.maximum)}`;
  if (issue.code === "invalid_type") return `must be a ${issue.expected}`;
  return issue.message;
}

/** Secrets never appear in error messages, even wrong ones. */
function redactForMessage(variable: string, value: string | undefined): string | undefined {
  if (value === undefined) return value;
  return /SECRET|TOKEN|KEY/.test(variable) ? "[redacted]" : value;
}

/** A 32-byte key from 64 hex characters or base64; null when it is neither. */
export function decodeKey(value: string): Buffer | null {
  const v = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(v)) return Buffer.from(v, "hex");
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(v)) {
    const b = Buffer.from(v.replace(/-/g, "+").replace(/_/g, "/"), "base64");
    if (b.length === 32) return b;
  }
  return null;
}

let cached: HubEnv | undefined;

/** The process configuration, parsed on first use. */
export function getEnv(): HubEnv {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Tests and the CLI may swap the configuration (e.g. a temporary database). */
export function setEnvForProcess(env: HubEnv | undefined): void {
  cached = env;
}
