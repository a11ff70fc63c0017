/**
 * The hub's API in-process for integration tests: the real resource route modules of app/routes behind the
 * production request listener (server/http/listener.server.ts) on a free 127.0.0.1 port. Pages are not served
 * here (Playwright tests those against the production build).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createHubListener } from "@server/http/listener.server";
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

/** Exact paths, and splat routes ("api.trpc.$.ts" → every path under /api/trpc/) by their prefix. */
class RouteTable extends Map<string, ResourceRoute> {
  readonly splats: Array<[prefix: string, route: ResourceRoute]> = [];

  override get(path: string): ResourceRoute | undefined {
    return super.get(path) ?? this.splats.find(([prefix]) => path.startsWith(prefix))?.[1];
  }
}

export function resourceRoutes(): Map<string, ResourceRoute> {
  const table = new RouteTable();
  for (const [file, mod] of Object.entries(modules)) {
    if (mod.default) continue;
    const path = routePath(file);
    const route = { loader: mod.loader, action: mod.action };
    if (path.endsWith("/$")) table.splats.push([path.slice(0, -1), route]);
    else table.set(path, route);
  }
  return table;
}

export interface ApiServer {
  url: string;
  close(): Promise<void>;
}

export async function startApiServer(options: { maxBodyBytes?: number } = {}): Promise<ApiServer> {
  const hub = createHubListener({
    resourceRoutes: resourceRoutes(),
    fallback: (_req, res) => {
      res.statusCode = 404;
      res.end("not found");
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
