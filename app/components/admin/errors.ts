/**
 * What a page shows for a failed call: the server's sentence (server/trpc/errors.ts makes it readable) and the
 * per-field messages, keyed by the form field's name.
 */
export interface ErrorInfo {
  message: string;
  fields: Record<string, string>;
}

export function errorInfo(error: unknown): ErrorInfo {
  const e = error as { message?: string; data?: { fieldErrors?: Record<string, string> | null } } | null;
  const message =
    e?.message && !/^(fetch failed|Failed to fetch)/i.test(e.message)
      ? e.message
      : "The hub could not be reached. Check your connection and try again.";
  return { message, fields: e?.data?.fieldErrors ?? {} };
}
