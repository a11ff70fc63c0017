/** zod pieces shared by the routers: every tRPC input is validated with these before a service sees it. */
import { z } from "zod";
import { MAX_RATE_MICRO } from "../catalog/rate-values";

export const idSchema = z.string().trim().min(1, "is required").max(64, "is too long");

/** "" and null both mean "none" (forms send empty strings). */
export const optionalUrl = z
  .string()
  .trim()
  .max(500, "is longer than 500 characters")
  .refine((v) => v === "" || /^https?:\/\/[^\s/]+/i.test(v), "must be an http(s) URL")
  .nullable()
  .optional();

export const secretSchema = z.string().trim().max(8000, "is too long").nullable().optional();

export const weightSchema = z
  .number()
  .int("must be a whole number")
  .min(0, "must be 0 or more")
  .max(1000, "must be at most 1000");

export const rateMicro = z
  .number()
  .int("must be an exact amount")
  .min(0, "must be zero or more")
  .max(MAX_RATE_MICRO, "is unrealistically high");

export const rateValuesSchema = z.object({
  inputPerMillion: rateMicro,
  outputPerMillion: rateMicro,
  cachedInputPerMillion: rateMicro.nullable(),
  // Optional so forms and scripts written before the field existed keep working: absent means the input rate.
  cacheWritePerMillion: rateMicro.nullable().default(null),
  perImage: rateMicro.nullable(),
  imagePrices: z.record(z.string().max(40), rateMicro).nullable(),
});

/** A limit: a whole number from 0, or null for none. */
export const limitSchema = z
  .number()
  .int("must be a whole number")
  .min(0, "must be 0 or more")
  .max(1e15, "is too large")
  .nullable()
  .optional();

export const searchSchema = z.string().trim().max(200).optional();

/** An ISO date-time (or a date) from a form. */
export const dateSchema = z
  .string()
  .max(40)
  .refine((v) => !Number.isNaN(Date.parse(v)), "is not a date")
  .transform((v) => new Date(v));
