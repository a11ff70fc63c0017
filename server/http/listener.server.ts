/**
 * The request listener of the hub's HTTP server: request ids, the client address, a JSON log line per request,
 * security headers on every answer, direct dispatch of static resource routes, the same-origin check for posts
 * to pages, and everything else handed to `fallback` (Express + Remix in production). Shared by the production
 * server and the in-process test server.
 */
import type http from "node:http";
import { uuidV7 } from "../crypto/uuid-v7";
import { errorResponse, HubError } from "../errors";
import { CLIENT_REQUEST_ID_HEADER, clientRequestId, HUB_REQUEST_ID_HEADER } from "../gateway/request-ids";
import { log, logRequest } from "../log.server";
import {
  BodyAbortedError,
  BodyTimeoutError,
  BodyTooLargeError,
  readBody,
  writeWebResponse,
  type AnswerFrame,
} from "./node-bridge.server";
import type { ResourceRoute } from "./route-table";
import { answeredCrossSitePost, fillSecurityHeaders, isPagePost, securityHeaderFill } from "./web-guard.server";
import { JsonResponse } from "./json-response";
import { NodeRequest } from "./node-request";

export interface ListenerOptions {
  resourceRoutes: Map<string, ResourceRoute>;
  fallback: (req: http.IncomingMessage, res: http.ServerResponse) => void;
  maxBodyBytes: number;
  /** How long a client may take to send its whole body before it gets a 408 (default DEFAULT_BODY_TIMEOUT_MS). */
  bodyTimeoutMs?: number;
}

export const DEFAULT_BODY_TIMEOUT_MS = 60_000;

export interface HubListener {
  listener: http.RequestListener;
  inFlight(): number;
  startDraining(): void;
}

/** Methods a Web Request cannot carry: Remix would fail on them with an HTML 500, so they get a JSON 405 here. */
const FORBIDDEN_METHODS = new Set(["TRACE", "TRACK", "CONNECT"]);

/**
 * The exact route for a path, also with one trailing slash: Remix's matcher ignores it, so without this
 * `/v1/chat/completions/` would skip the direct dispatch and a wrong method there would get Remix's error body
 * instead of the JSON 405 below.
 */
function findRoute(routes: Map<string, ResourceRoute>, path: string): ResourceRoute | undefined {
  return routes.get(path) ?? (path.length > 1 && path.endsWith("/") ? routes.get(path.slice(0, -1)) : undefined);
}

export function createHubListener(options: ListenerOptions): HubListener {
  let inFlight = 0;
  let draining = false;
  const bodyLimits = { maxBytes: options.maxBodyBytes, timeoutMs: options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS };

  async function dispatch(
    route: ResourceRoute,
    req: http.IncomingMessage,
    res: http.ServerResponse,
    frame: AnswerFrame,
  ): Promise<void> {
    let request: NodeRequest | null = null;
    res.once("close", () => {
      if (!res.writableFinished) request?.abort();
    });
    try {
      const isRead = req.method === "GET" || req.method === "HEAD";
      const handler = isRead ? route.loader : route.action;
      if (!handler)
        throw new HubError("method_not_allowed", `${req.method} is not allowed on ${(req.url ?? "").split("?")[0]}`);
      const body = isRead ? null : await readBody(req, bodyLimits);
      request = new NodeRequest(req, `http://${req.headers.host ?? "localhost"}`, body);
      const result = await handler({ request, params: {}, context: {} });
      await writeWebResponse(res, result instanceof Response ? result : new JsonResponse(result), frame);
    } catch (error) {
      await answerError(req, res, error, frame);
    }
  }

  async function answerError(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    error: unknown,
    frame?: AnswerFrame,
  ): Promise<void> {
    if (error instanceof Response) return writeWebResponse(res, error, frame);
    if (error instanceof BodyAbortedError) return void res.destroy();
    let reported = error;
    if (error instanceof BodyTooLargeError) {
      reported = new HubError(
        "payload_too_large",
        `The request body is larger than the limit of ${options.maxBodyBytes} bytes.`,
      );
      res.setHeader("connection", "close");
    } else if (error instanceof BodyTimeoutError) {
      reported = new HubError("request_timeout", `The request body did not arrive within ${bodyLimits.timeoutMs} ms.`);
      res.setHeader("connection", "close");
    } else if (!(error instanceof HubError)) {
      log.error("unhandled error in resource route", { path: req.url, error });
    }
    if (!res.headersSent) await writeWebResponse(res, errorResponse(reported), frame);
    else res.destroy();
  }

  /** Pages and dynamic routes read their bodies in Remix; a body declared too large is refused before that. */
  function refuseDeclaredOversize(req: http.IncomingMessage, res: http.ServerResponse): void {
    readBody(req, bodyLimits)
      .then(
        () => answerError(req, res, new BodyTooLargeError()),
        (error: unknown) => answerError(req, res, error),
      )
      .catch((error: unknown) => log.warn("answering an oversized request failed", { error }));
  }

  const listener: http.RequestListener = (req, res) => {
    const started = performance.now();
    // The hub's own id, never the client's: two clients may well send the same x-request-id (server/gateway/request-ids.ts).
    // Time-ordered (../crypto/uuid-v7.ts): the call records index it.
    const requestId = uuidV7();
    req.headers[HUB_REQUEST_ID_HEADER] = requestId;
    // Always overwritten, never taken from the client: the IP rules decide separately whether X-Forwarded-For counts.
    req.headers["x-hub-client-ip"] = req.socket.remoteAddress ?? "";
    const always = ["x-request-id", requestId];
    const incoming = req.headers["x-request-id"];
    const fromClient = clientRequestId(typeof incoming === "string" ? incoming : null);
    if (fromClient) always.push(CLIENT_REQUEST_ID_HEADER, fromClient);
    if (draining) always.push("connection", "close");
    const frame: AnswerFrame = { always, fill: securityHeaderFill() };
    inFlight++;
    res.once("close", () => {
      inFlight--;
      logRequest(
        requestId,
        req.method,
        (req.url ?? "").split("?")[0] ?? "",
        res.statusCode,
        Math.round(performance.now() - started),
      );
    });
    if (FORBIDDEN_METHODS.has(req.method ?? "")) {
      const refusal = errorResponse(new HubError("method_not_allowed", `${req.method} is not allowed.`));
      void writeWebResponse(res, refusal, frame);
      return;
    }
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const route = findRoute(options.resourceRoutes, path);
    if (route) return void dispatch(route, req, res, frame);
    // Pages and everything else: the headers go on the response now, the security headers just before it is
    // written (Remix sets its own).
    for (let i = 0; i < always.length; i += 2) res.setHeader(always[i]!, always[i + 1]!);
    fillSecurityHeaders(res);
    if (Number(req.headers["content-length"] ?? "0") > options.maxBodyBytes) refuseDeclaredOversize(req, res);
    else if (isPagePost(req.method, path)) void checkedFallback(req, res);
    else options.fallback(req, res);
  };

  /** A post to a page: refused here when it comes from another site, else Remix runs the page's action. */
  async function checkedFallback(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    try {
      if (!(await answeredCrossSitePost(req, res))) options.fallback(req, res);
    } catch (error) {
      log.error("same-origin check failed", { path: req.url, error });
      if (!res.headersSent) await writeWebResponse(res, errorResponse(error));
    }
  }

  return {
    listener,
    inFlight: () => inFlight,
    startDraining: () => {
      draining = true;
    },
  };
}
