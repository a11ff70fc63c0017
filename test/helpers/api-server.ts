/**
 * The hub's API in-process for integration tests: the real resource route modules of app/routes behind the
 * production request listener (server/http/listener.server.ts) on a free 127.0.0.1 port, and the splat resource
 * routes (tRPC, the API's unknown-path answers) behind it. Pages are not served here (Playwright tests those
 * against the production build).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { answerClientError } from "@server/http/client-error";
import { createHubListener } from "@server/http/listener.server";
import { readBody, writeWebResponse } from "@server/http/node-bridge.server";
import { NodeRequest } from "@server/http/node-request";
import type { ResourceRoute } from "@server/http/route-table";

/** Remix flat-route file name → URL path, for the static resource routes ("api.v2.chat.ts" → "/api/v2/chat"). */
export function routePath(file: string): string {
  const name = file.replace(/^.*\//, "").replace(/\.tsx?$/, "");
  const segments: string[] = [];
  let current = "";
  let escaped = false;
  for (const ch of name) {
    if (ch === "[") escaped = true;
    else if (ch === "]") escaped = false;
    else if (ch === "." && !escaped) {
      segments.push(current);
      current = "";
    } else current += ch;
  }
  segments.push(current);
  return "/" + segments.join("/");
}

const modules = import.meta.glob<ResourceRoute & { default?: unknown }>("../../app/routes/*.ts", { eager: true });

/**
 * Static paths by exact match; routes with a `$param` segment ("/v1/responses/$id") match any one segment there,
 * as Remix's matcher does for them in production.
 */
class RouteTable extends Map<string, ResourceRoute> {
  readonly patterns: Array<[RegExp, ResourceRoute]> = [];
  override get(path: string): ResourceRoute | undefined {
    return super.get(path) ?? this.patterns.find(([re]) => re.test(path))?.[1];
  }
}

export function resourceRoutes(): Map<string, ResourceRoute> {
  const table = new RouteTable();
  for (const [file, mod] of Object.entries(modules)) {
    if (mod.default) continue;
    const path = routePath(file);
    // Splat routes ("/v1/$") answer from the fallback below, longest prefix first, as Remix ranks them.
    if (path.endsWith("/$")) continue;
    const route = { loader: mod.loader, action: mod.action };
    if (!path.includes("/$")) table.set(path, route);
    else table.patterns.push([new RegExp(`^${path.replace(/\/\$[^/]+/g, "/[^/]+")}$`), route]);
  }
  return table;
}

/** Splat resource routes ("v1.$.ts" → "/v1"), longest prefix first. */
function splatRoutes(): Array<[string, ResourceRoute]> {
  return Object.entries(modules)
    .filter(([file, mod]) => !mod.default && routePath(file).endsWith("/$"))
    .map(([file, mod]): [string, ResourceRoute] => [
      routePath(file).slice(0, -2),
      { loader: mod.loader, action: mod.action },
    ])
    .sort((a, b) => b[0].length - a[0].length);
}

/**
 * What production hands to Remix: here only the splat resource routes, matched as Remix ranks them (an exact route
 * always wins, which the listener already handled; then the longest prefix). Anything else is a bare 404.
 */
function splatFallback(maxBodyBytes: number): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  const splats = splatRoutes();
  return (req, res) => {
    const path = (req.url ?? "/").split("?")[0]!.toLowerCase();
    const found = splats.find(([prefix]) => path === prefix || path.startsWith(prefix + "/"));
    if (!found) {
      res.statusCode = 404;
      res.end("not found");
      return;
    }
    const [prefix, route] = found;
    const isRead = req.method === "GET" || req.method === "HEAD";
    const handler = isRead ? route.loader : route.action;
    void (async () => {
      const body = isRead ? null : await readBody(req, { maxBytes: maxBodyBytes, timeoutMs: 60_000 });
      const request = new NodeRequest(req, `http://${req.headers.host ?? "localhost"}`, body);
      res.once("close", () => {
        if (!res.writableFinished) request.abort();
      });
      if (!handler) throw new Error(`no ${isRead ? "loader" : "action"} for ${prefix}/*`);
      const result = await handler({ request, params: { "*": path.slice(prefix.length + 1) }, context: {} });
      await writeWebResponse(res, result instanceof Response ? result : Response.json(result));
    })().catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  };
}

export interface ApiServer {
  url: string;
  close(): Promise<void>;
}

export async function startApiServer(
  options: { maxBodyBytes?: number; bodyTimeoutMs?: number } = {},
): Promise<ApiServer> {
  const hub = createHubListener({
    resourceRoutes: resourceRoutes(),
    fallback: splatFallback(options.maxBodyBytes ?? 10 * 1024 * 1024),
    maxBodyBytes: options.maxBodyBytes ?? 10 * 1024 * 1024,
    bodyTimeoutMs: options.bodyTimeoutMs,
  });
  const server = http.createServer(hub.listener);
  server.on("clientError", answerClientError);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
