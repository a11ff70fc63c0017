/**
 * Test harness for the real-client tests (server/gateway/aigne/real-client-*.test.ts): a node:http server on
 * 127.0.0.1 that plays the hub for AIGNE's real client, with the client's environment variables pinned so the
 * machine's environment cannot redirect it. Each test file supplies the routes; errors thrown by a route answer in the OpenAI error shape.
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { toErrorBody } from "@server/errors";
import { blockletJson } from "@server/gateway/aigne/discovery";

export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** Answers the requests it knows; one it leaves unanswered gets a 404. */
export type Route = (req: { method: string; url: URL; body: unknown }, res: ServerResponse) => void | Promise<void>;

export function send(res: ServerResponse, status: number, json: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(json));
}

/**
 * Registers the server's lifecycle with vitest (beforeAll/afterAll/beforeEach) and returns its live state:
 * `origin` once started, and every request `seen` in the current test. `/__blocklet__.js` is always served.
 */
export function useAigneTestServer(options: { clientEnv: string[]; setEnv?: Record<string, string>; route: Route }) {
  const state = { origin: "", seen: [] as SeenRequest[] };
  let server: Server;
  const savedEnv = new Map<string, string | undefined>();

  beforeAll(async () => {
    for (const name of options.clientEnv) {
      savedEnv.set(name, process.env[name]);
      delete process.env[name];
    }
    Object.assign(process.env, options.setEnv ?? {});
    // Every failure, reading the body included, is answered as an error body: the promise never rejects.
    server = createServer((req, res) => void answer(req, res));
    async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
      try {
        let raw = "";
        for await (const c of req) raw += c;
        const url = new URL(req.url ?? "/", "http://localhost");
        const body = raw ? JSON.parse(raw) : undefined;
        state.seen.push({ method: req.method ?? "", path: url.pathname + url.search, headers: req.headers, body });
        if (url.pathname === "/__blocklet__.js" && url.searchParams.get("type") === "json")
          return send(res, 200, blockletJson());
        await options.route({ method: req.method ?? "", url, body }, res);
        if (!res.headersSent)
          send(res, 404, { error: { message: `no route ${url.pathname}`, type: "invalid_request_error" } });
      } catch (error) {
        const { status, body: errorBody } = toErrorBody(error);
        send(res, status, errorBody);
      }
    }
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    state.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    for (const [name, value] of savedEnv) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  beforeEach(() => {
    state.seen.length = 0;
  });

  return state;
}
