/** The hub's OpenAI-shaped error answers, made readable for the page (402 with its payment link, 404, 429...). */
export interface PlaygroundError {
  status: number;
  message: string;
  code: string | null;
  /** The payment page, on a 402 when the owner set one. */
  link: string | null;
  retryAfterSeconds: number | null;
}

const TITLES: Record<number, string> = {
  401: "Your session has ended",
  402: "Not enough credit",
  403: "Not allowed",
  404: "Model not available",
  429: "Rate limited",
};

export function errorTitle(e: PlaygroundError): string {
  return (
    TITLES[e.status] ??
    (e.status === 0 ? "Connection failed" : e.status >= 500 ? "The call failed" : "The request was refused")
  );
}

export async function readApiError(response: Response): Promise<PlaygroundError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's page): the status says enough.
  }
  return toPlaygroundError(body, response.status, response.headers.get("retry-after"));
}

export function toPlaygroundError(body: unknown, status: number, retryAfter: string | null = null): PlaygroundError {
  const error = (body as { error?: Record<string, unknown> } | null)?.error ?? {};
  const link = typeof error.link === "string" && /^https?:\/\//i.test(error.link) ? error.link : null;
  const seconds = retryAfter !== null && /^\d+$/.test(retryAfter) ? Number(retryAfter) : null;
  const text = typeof error.message === "string" && error.message ? error.message : `The hub answered ${status}.`;
  return {
    status,
    // API clients get the link inside the message; the page shows it as a button, so drop the raw address.
    message: link ? text.replace(` Buy credits at ${link}`, "") : text,
    code: typeof error.code === "string" ? error.code : null,
    link,
    retryAfterSeconds: seconds,
  };
}
