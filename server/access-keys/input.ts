/**
 * What a new access key may say about itself, validated once with zod (docs/architecture.md). Used by the service
 * (CLI, connect flow, tests: typed values) and by the Keys page form (strings, through `parseKeyForm`), so both
 * refuse the same things with the same words.
 */
import { z } from "zod";
import type { KeyLimits } from "../../drizzle/schema";

/** "provider/model": the public names the gateway routes by (model ids may hold "/", ":" and "."). */
const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*\/[A-Za-z0-9][A-Za-z0-9._:/@+-]*$/;

const positiveInt = (what: string) =>
  z
    .number({ message: `${what} must be a whole number above 0` })
    .int(`${what} must be a whole number above 0`)
    .positive(`${what} must be a whole number above 0`)
    .max(1_000_000_000, `${what} is too large`);

export const LIMIT_FIELDS = {
  requestsPerMinute: "Requests per minute",
  tokensPerMinute: "Tokens per minute",
  concurrency: "Concurrent requests",
  creditsPerDay: "Credits per day",
} as const satisfies Record<keyof KeyLimits, string>;

const limitsSchema = z
  .object({
    requestsPerMinute: positiveInt(LIMIT_FIELDS.requestsPerMinute).optional(),
    tokensPerMinute: positiveInt(LIMIT_FIELDS.tokensPerMinute).optional(),
    concurrency: positiveInt(LIMIT_FIELDS.concurrency).optional(),
    /** Whole credits (not micro-credits): a person types "5", not "5000000". */
    creditsPerDay: positiveInt(LIMIT_FIELDS.creditsPerDay).optional(),
  })
  .strict();

export const accessKeyInputSchema = z.object({
  name: z.string().trim().min(1, "Give the key a name").max(100, "The name can be at most 100 characters"),
  appName: z
    .string()
    .trim()
    .max(100, "The app name can be at most 100 characters")
    .nullish()
    .transform((v) => v || null),
  expiresAt: z
    .date({ message: "The expiry is not a date" })
    .nullish()
    .refine((d) => !d || d.getTime() > Date.now(), "The expiry must be in the future")
    .transform((d) => d ?? null),
  allowedModels: z
    .array(z.string().trim().regex(MODEL_NAME, "Models are written provider/model, such as openai/gpt-4o-mini"))
    .max(200, "At most 200 models")
    .nullish()
    // An empty list would lock the key out of everything; "no list" means every model the owner may use.
    .transform((list) => (list && list.length ? [...new Set(list)] : null)),
  limits: limitsSchema
    .nullish()
    .transform((l) =>
      l && Object.values(l).some((v) => v !== undefined) ? (JSON.parse(JSON.stringify(l)) as KeyLimits) : null,
    ),
});

export type AccessKeyInput = z.input<typeof accessKeyInputSchema>;
export type ValidAccessKeyInput = z.output<typeof accessKeyInputSchema>;
export type KeyField = "name" | "appName" | "expiresAt" | "allowedModels" | keyof KeyLimits;
export type FieldErrors = Partial<Record<KeyField, string>>;

/** zod issues → one message per form field (limits are flattened to their own fields). */
function toFieldErrors(issues: z.core.$ZodIssue[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const [first, second] = issue.path;
    const field = (first === "limits" && typeof second === "string" ? second : String(first ?? "name")) as KeyField;
    errors[field] ??= issue.message;
  }
  return errors;
}

export type ParsedKeyForm = { ok: true; input: ValidAccessKeyInput } | { ok: false; fieldErrors: FieldErrors };

/**
 * The Keys page form (all strings) → validated input. The expiry is a date picked in the browser; it means "until
 * the end of that day" in the person's time zone, which the page sends as `tzOffset` (Date#getTimezoneOffset,
 * minutes; absent without JavaScript, then UTC).
 */
export function parseKeyForm(form: FormData): ParsedKeyForm {
  const text = (name: string) => String(form.get(name) ?? "").trim();
  const fieldErrors: FieldErrors = {};

  let expiresAt: Date | null = null;
  const expiresOn = text("expiresOn");
  if (expiresOn) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(expiresOn);
    const offset = Number(text("tzOffset") || "0");
    if (!m || !Number.isFinite(offset)) fieldErrors.expiresAt = "Pick a date, such as 2030-12-31";
    else
      expiresAt = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59, 999) + offset * 60_000);
  }

  const limits: Record<string, number | undefined> = {};
  for (const field of Object.keys(LIMIT_FIELDS) as Array<keyof KeyLimits>) {
    const raw = text(field);
    limits[field] = raw === "" ? undefined : Number(raw);
  }

  const models = text("allowedModels")
    .split(/[\s,]+/)
    .filter(Boolean);
  const result = accessKeyInputSchema.safeParse({
    name: text("name"),
    appName: text("appName"),
    expiresAt,
    allowedModels: models,
    limits,
  });
  if (!result.success) Object.assign(fieldErrors, { ...toFieldErrors(result.error.issues), ...fieldErrors });
  if (Object.keys(fieldErrors).length || !result.success) return { ok: false, fieldErrors };
  return { ok: true, input: result.data };
}
