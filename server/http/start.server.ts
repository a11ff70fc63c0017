/**
 * The production HTTP server: one Node process serving the Remix build. It owns what remix-serve cannot do:
 * JSON request logs with redaction, a request id on every response, body limits, no compression on SSE, the
 * direct dispatch of API resource routes (docs/decisions/001), and draining on SIGTERM.
 */
import http from "node:http";
import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { getEnv } from "../env.server";
import { bootHub, shutdownHub } from "../lifecycle.server";
import { log } from "../log.server";
import { answerClientError } from "./client-error";
import { applyHeapGrowth } from "./heap-growth.server";
import { createHubListener } from "./listener.server";
import { buildResourceRouteTable, type BuildRoute } from "./route-table";

export interface RunningHub {
  server: http.Server;
  url: string;
  stop(): Promise<void>;
}

export async function startHub(build: ServerBuild, options: { clientDir?: string } = {}): Promise<RunningHub> {
  const env = getEnv();
  const { setupLink } = await bootHub();
  const clientDir = options.clientDir ?? path.resolve("build/client");

  const app = express();
  app.disable("x-powered-by");
  app.use("/assets", express.static(path.join(clientDir, "assets"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(clientDir, { maxAge: "1h" }));
  const remix = createRequestHandler({ build, mode: "production" });
  // Remix's handler passes its own errors to next(), so the promise it returns never rejects.
  app.all("*", (req, res, next) => void remix(req, res, next));

  const hub = createHubListener({
    resourceRoutes: buildResourceRouteTable(build.routes as unknown as Record<string, BuildRoute>),
    fallback: app,
    maxBodyBytes: env.HUB_MAX_BODY_BYTES,
    bodyTimeoutMs: env.HUB_BODY_TIMEOUT_MS,
  });
  const server = http.createServer(hub.listener);
  server.on("clientError", answerClientError);
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(env.PORT, env.HOST, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : env.PORT;
  const url = `http://${env.HOST === "0.0.0.0" || env.HOST === "::" ? "localhost" : env.HOST}:${port}`;

  log.info("AI Hub listening", {
    url,
    publicUrl: env.PUBLIC_URL,
    database: env.isLocalDatabase ? env.DATABASE_URL : "libsql server",
  });
  if (setupLink) {
    // Plain text as well as the JSON log, so a person reading the terminal can open it.
    process.stdout.write(
      `\nAI Hub has no owner yet. Open this link to create the owner account (it works once):\n\n  ${setupLink}\n\n`,
    );
  }

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      hub.startDraining();
      log.info("draining", { inFlight: hub.inFlight() });
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = Date.now() + 15_000;
      while (hub.inFlight() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      server.closeAllConnections();
      await closed;
      await shutdownHub();
      log.info("stopped");
    })());
  return { server, url, stop };
}

/** Start, and stop on SIGTERM / SIGINT: the entry point bin/start.js calls through the build. */
export async function serve(build: ServerBuild): Promise<RunningHub> {
  const hub = await startHub(build);
  // Here rather than in startHub: it changes the whole process, which in tests is the test runner's.
  applyHeapGrowth(getEnv().HUB_HEAP_GROWING_PERCENT);
  const onSignal = (signal: string) => {
    log.info("signal received", { signal });
    hub.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error("shutdown failed", { error });
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", () => onSignal("SIGTERM"));
  process.once("SIGINT", () => onSignal("SIGINT"));
  return hub;
}
