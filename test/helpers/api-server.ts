/**
 * The hub's API in-process for integration tests: the real resource route modules of app/routes behind the
 * production request listener (server/http/listener.server.ts) on a free 127.0.0.1 port. Splat resource routes
 * (`api.trpc.$.ts` → `/api/trpc/*`) are served from the fallback, as Remix's handler serves them in production.
 * Pages are not served here (Playwright tests those against the production build).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createHubListener } from "@server/http/listener.server";
import { readBody, toWebRequest, writeWebResponse } from "@server/http/node-bridge.server";
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

export function resourceRoutes(): Map<string, ResourceRoute> {
  const table = new Map<string, ResourceRoute>();
  for (const [file, mod] of Object.entries(modules)) {
    if (mod.default) continue;
    table.set(routePath(file), { loader: mod.loader, action: mod.action });
  }
  return table;
}

export interface ApiServer {
  url: string;
  close(): Promise<void>;
}

export async function startApiServer(options: { maxBodyBytes?: number } = {}): Promise<ApiServer> {
  const routes = resourceRoutes();
  const splats = [...routes].filter(([path]) => path.endsWith("/$")).map(([path, route]) => ({ prefix: path.slice(0, -1), route }));
  const hub = createHubListener({
    resourceRoutes: routes,
    fallback: (req, res) => {
      const splat = splats.find((s) => (req.url ?? "/").startsWith(s.prefix));
      const handler = req.method === "GET" || req.method === "HEAD" ? splat?.route.loader : splat?.route.action;
      if (!handler) {
        res.statusCode = 404;
        res.end("not found");
        return;
      }
      void (async () => {
        const body = req.method === "GET" || req.method === "HEAD" ? null : await readBody(req, 10 * 1024 * 1024);
        const request = toWebRequest(req, `http://${req.headers.host ?? "localhost"}`, body, new AbortController().signal);
        const result = await handler({ request, params: {}, context: {} });
        await writeWebResponse(res, result instanceof Response ? result : Response.json(result));
      })();
    },
    maxBodyBytes: options.maxBodyBytes ?? 10 * 1024 * 1024,
  });
  const server = http.createServer(hub.listener);
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
