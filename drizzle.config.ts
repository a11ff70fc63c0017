import { defineConfig } from "drizzle-kit";

// drizzle-kit only generates SQL from the schema here; the server applies migrations itself at boot.
export default defineConfig({
  dialect: "turso",
  schema: "./drizzle/schema/index.ts",
  out: "./drizzle/migrations",
  dbCredentials: {
    url: process.env.DATABASE_URL ?? "file:./data/hub.db",
    authToken: process.env.DATABASE_AUTH_TOKEN,
  },
});
