import { fileURLToPath } from "node:url";
import { vitePlugin as remix } from "@remix-run/dev";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig } from "vite";
import remixConfig from "./remix.config";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  plugins: [tailwindcss(), remix(remixConfig)],
  resolve: {
    alias: {
      "~": here("./app"),
      "@server": here("./server"),
      "@drizzle": here("./drizzle"),
    },
  },
  server: { port: 3000 },
  // Pre-bundled up front so the dev server does not reload on first visit (stack.md, gotcha 3).
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
