/**
 * Request bodies: JSON parsing and zod validation with OpenAI-style messages that name the parameter
 * ("Invalid type for 'temperature': expected number"), so clients can fix their request.
 */
import type { z } from "zod";
import { HubError } from "../errors";
import { rawBodyOf, rememberBodyText } from "../http/raw-body";

export async function readJson(request: Request): Promise<Record<string, unknown>> {
  const raw = rawBodyOf(request);
  const text = raw ? raw.toString("utf8") : await request.text();
  if (!raw) rememberBodyText(request, text);
  if (!text.trim()) throw new HubError("invalid_json", "The request body is empty; send a JSON object.");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HubError(
      "invalid_json",
      "We could not parse the JSON body of your request. The body must be valid JSON with Content-Type: application/json.",
    );
  }
  if (!value || typeof value !== "object" || Array.isArray(value))
    throw new HubError("invalid_json", "The request body must be a JSON object.");
  return value as Record<string, unknown>;
}

function paramPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>(
    (acc, p) => (typeof p === "number" ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)),
    "",
  );
}

export function validate<S extends z.ZodType>(schema: S, value: unknown, prefix = ""): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const param = prefix + paramPath(issue.path);
  const missing = issue.code === "invalid_type" && valueAt(value, issue.path) === undefined;
  if (missing)
    throw new HubError("invalid_input", `Missing required parameter: '${param}'.`, param, {
      code: "missing_required_parameter",
    });
  if (issue.code === "invalid_type") {
    throw new HubError("invalid_input", `Invalid type for '${param}': expected ${issue.expected}.`, param, {
      code: "invalid_type",
    });
  }
  throw new HubError("invalid_input", `Invalid value for '${param}': ${issue.message}.`, param);
}

function valueAt(value: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let v = value;
  for (const p of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}
