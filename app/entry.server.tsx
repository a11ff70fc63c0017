/**
 * Remix's server entry. Besides rendering, it re-exports the hub's process entry points so that bin/start.js
 * reaches them through the build: the server modules then exist once in the process, shared by the routes,
 * the background jobs and shutdown. Each page gets its Content-Security-Policy here, with a nonce made for this
 * request and given to every inline script Remix and React write (the other security headers are added by the
 * HTTP server: server/http/web-guard.server.ts).
 */
import { randomBytes } from "node:crypto";
import { PassThrough } from "node:stream";
import { createReadableStreamFromReadable, type EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { pageContentSecurityPolicy } from "@server/http/security-headers";
import { logRemixError } from "@server/http/remix-errors.server";
import { NonceContext } from "~/lib/nonce";

export { serve, startHub } from "@server/http/start.server";

/** Errors Remix catches go to the hub's JSON log (redacted, no stack), instead of console.error. */
export const handleError = logRemixError;

const ABORT_DELAY = 5_000;

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  const waitForAll = isbot(request.headers.get("user-agent") ?? "");
  const nonce = randomBytes(16).toString("base64");
  responseHeaders.set(
    "Content-Security-Policy",
    pageContentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === "development" }),
  );
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceContext.Provider>,
      {
        nonce,
        [waitForAll ? "onAllReady" : "onShellReady"]() {
          shellRendered = true;
          const body = new PassThrough();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          );
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}
