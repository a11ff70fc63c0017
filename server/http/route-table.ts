/**
 * Static resource routes of the Remix build, by exact path. The production server calls their loader/action
 * straight from the build for these paths (docs/decisions/001-one-error-type-and-process-entry.md: about twice the throughput of going through Remix's
 * request handler); the route files stay the single definition of each endpoint.
 */
export interface BuildRoute {
  id: string;
  parentId?: string;
  path?: string;
  index?: boolean;
  module: {
    default?: unknown;
    loader?: (args: { request: Request; params: Record<string, string>; context: object }) => unknown;
    action?: (args: { request: Request; params: Record<string, string>; context: object }) => unknown;
  };
}

export type ResourceRoute = Pick<BuildRoute["module"], "loader" | "action">;

export function buildResourceRouteTable(routes: Record<string, BuildRoute | undefined>): Map<string, ResourceRoute> {
  const table = new Map<string, ResourceRoute>();
  const fullPath = (route: BuildRoute): string => {
    const parent = route.parentId ? routes[route.parentId] : undefined;
    const own = route.path ?? "";
    const base = parent ? fullPath(parent) : "";
    return [base, own].filter(Boolean).join("/");
  };
  for (const route of Object.values(routes)) {
    if (!route || route.module.default || route.id === "root") continue;
    const path = "/" + fullPath(route);
    if (/[:*]/.test(path)) continue; // dynamic segments go through Remix's matcher
    table.set(path, { loader: route.module.loader, action: route.module.action });
  }
  return table;
}
