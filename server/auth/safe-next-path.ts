/**
 * Where to send a person after sign-in (`?next=`): only a path on this hub. Browsers drop tabs and newlines from
 * URLs and read `\` as `/`, so "/\t/evil.example", "/\evil.example" and "//evil.example" all leave the site; a
 * value is therefore judged by how a URL parser resolves it, once as given and once percent-decoded (a proxy or
 * a second decode must not turn "/%2F%2Fevil.example" into "//evil.example"). Pure.
 */
export const DEFAULT_LANDING = "/usage";

const BASE = "http://hub.invalid";
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

function staysOnHub(value: string): URL | null {
  if (!value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\") || CONTROL.test(value)) return null;
  try {
    const url = new URL(value, BASE);
    return url.origin === BASE ? url : null;
  } catch {
    return null;
  }
}

/** The path to land on, or the default when `next` is missing or could lead anywhere else. */
export function safeNextPath(next: string | null | undefined, fallback = DEFAULT_LANDING): string {
  if (!next || next.length > 500) return fallback;
  const url = staysOnHub(next);
  if (!url) return fallback;
  let decoded: string;
  try {
    decoded = decodeURIComponent(next);
  } catch {
    return fallback; // not valid percent-encoding: nothing a page of ours links to
  }
  if (!staysOnHub(decoded)) return fallback;
  // The parsed form, so what is sent in Location is exactly what was checked.
  return url.pathname + url.search + url.hash;
}
