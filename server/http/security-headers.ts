/**
 * The security headers the hub sends. Pure: which headers, with which values. Pages get a Content-Security-Policy
 * with a fresh nonce per request (app/entry.server.tsx); every other answer (API, JSON, assets, errors) gets a
 * policy that allows nothing, since none of them is meant to be shown as a page. docs/decisions/010-web-security.md.
 */

/** Sent on every answer; HSTS only when the hub is served over https (PUBLIC_URL), never over plain http. */
export function baseSecurityHeaders(options: { https: boolean }): Array<[string, string]> {
  const headers: Array<[string, string]> = [
    ["X-Content-Type-Options", "nosniff"],
    // The old header for browsers that ignore CSP's frame-ancestors: nothing of the hub is framed (clickjacking).
    ["X-Frame-Options", "DENY"],
    ["Referrer-Policy", "strict-origin-when-cross-origin"],
    // The console needs none of these browser features; a page that is ever compromised cannot ask for them.
    ["Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"],
  ];
  if (options.https) headers.push(["Strict-Transport-Security", "max-age=31536000; includeSubDomains"]);
  return headers;
}

/** For answers that are not pages (JSON, SSE, CSV, assets, plain-text errors): nothing may run or load. */
export const NON_PAGE_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * The policy of an HTML page. Scripts: our own files and the inline scripts Remix and React write with this
 * request's nonce, nothing else (no 'unsafe-inline', no 'unsafe-eval'). Styles keep 'unsafe-inline': React
 * renders `style` attributes (recharts positions its tooltips and SVG that way, and in development Vite injects
 * CSS as <style> elements); styles cannot run code, and everything else stays closed. Images may be data:/blob:
 * (generated images, downloads) and https: (avatars, images a provider links to).
 */
export function pageContentSecurityPolicy(nonce: string, options: { dev: boolean }): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob: https:",
    "font-src 'self' data:",
    // In development Vite's client talks to its server over a websocket for hot reload.
    options.dev ? "connect-src 'self' ws: wss:" : "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  return directives.join("; ");
}
