/**
 * Walks a real oidc-provider's development login and consent pages over plain HTTP, the way a browser would:
 * follow redirects by hand with a cookie jar, post the login name, confirm consent, and stop at the redirect
 * back to the hub's callback, whose query (code, state) it returns.
 */
const jar = new Map<string, string>();

function keepCookies(response: Response): void {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const eq = pair?.indexOf("=") ?? -1;
    if (pair && eq > 0) jar.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
}

const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");

async function go(url: string, form?: Record<string, string>): Promise<Response> {
  const response = await fetch(url, {
    method: form ? "POST" : "GET",
    redirect: "manual",
    headers: { cookie: cookieHeader(), ...(form ? { "content-type": "application/x-www-form-urlencoded" } : {}) },
    body: form ? new URLSearchParams(form) : undefined,
  });
  keepCookies(response);
  await response.body?.cancel();
  return response;
}

/** From the authorization URL to the hub's callback query, logging in as `login`. */
export async function authorizeAtIssuer(
  authorizationUrl: URL,
  login: string,
  callbackPrefix: string,
): Promise<Record<string, string>> {
  jar.clear();
  let url = authorizationUrl.toString();
  for (let step = 0; step < 10; step++) {
    if (url.startsWith(callbackPrefix)) return Object.fromEntries(new URL(url).searchParams);
    const interaction = /\/interaction\/[^/?]+$/.test(new URL(url).pathname);
    // The first interaction is the login page, the next the consent page: answer each with its form.
    const response = interaction
      ? await go(url, jar.has("_session") ? { prompt: "consent" } : { prompt: "login", login })
      : await go(url);
    const location = response.headers.get("location");
    if (!location) throw new Error(`the issuer stopped at ${url} with HTTP ${response.status}`);
    url = new URL(location, url).toString();
  }
  throw new Error("too many redirects at the issuer");
}
