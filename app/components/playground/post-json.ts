import { readApiError, type PlaygroundError } from "./api-error";

/** A non-streaming playground call (images, embeddings): the answer's JSON and cost, or the hub's error made readable. */
export async function postJson<T>(
  path: string,
  body: unknown,
): Promise<{ ok: true; data: T; cost: number | null } | { ok: false; error: PlaygroundError }> {
  try {
    const response = await fetch(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!response.ok) return { ok: false, error: await readApiError(response) };
    // The call's price in credits, also for answers whose shape has no place for it (an image without usage).
    const cost = response.headers.get("x-hub-cost");
    return { ok: true, data: (await response.json()) as T, cost: cost === null ? null : Number(cost) };
  } catch (error) {
    return {
      ok: false,
      error: {
        status: 0,
        message: error instanceof Error ? error.message : "The hub could not be reached.",
        code: null,
        link: null,
        retryAfterSeconds: null,
      },
    };
  }
}
