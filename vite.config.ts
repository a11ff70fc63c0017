import { fileURLToPath } from "node:url";
import { vitePlugin as remix } from "@remix-run/dev";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig, type Plugin } from "vite";
import remixConfig from "./remix.config";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

/**
 * `remix vite:dev` has no hub HTTP server in front of Remix: this gives its answers the same security headers and
 * the same same-origin check for posts to pages, from the same module the production listener uses.
 */
function hubWebGuard(): Plugin {
  return {
    name: "hub-web-guard",
    apply: "serve",
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const loaded = server.ssrLoadModule("/server/http/web-guard.server.ts") as Promise<
          typeof import("./server/http/web-guard.server")
        >;
        loaded
          .then(async (guard) => {
            guard.fillSecurityHeaders(res);
            const path = (req.url ?? "/").split("?")[0] ?? "/";
            if (guard.isPagePost(req.method, path) && (await guard.answeredCrossSitePost(req, res))) return;
            next();
          })
          .catch(next);
      });
    },
  };
}

export default defineConfig({
  plugins: [tailwindcss(), hubWebGuard(), remix(remixConfig)],
  resolve: {
    alias: {
      "~": here("./app"),
      "@server": here("./server"),
      "@drizzle": here("./drizzle"),
    },
  },
  server: { port: 3000 },
  // Pre-bundled up front so the dev server does not reload on first visit (docs/development.md).
  optimizeDeps: {
    include: [
      "@radix-ui/react-dialog",
      "@tanstack/react-query",
      "@trpc/client",
      "@trpc/tanstack-react-query",
      "recharts",
    ],
  },
  build: { target: "es2022" },
  ssr: { target: "node" },
});
