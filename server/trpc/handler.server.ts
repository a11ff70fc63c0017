/** `/api/trpc/*`: the console's tRPC endpoint (a resource route handing the request to tRPC's fetch adapter). Answers are never cached. */
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { createContext } from "./context.server";
import { appRouter } from "./root";

export async function handleTrpcRequest(request: Request): Promise<Response> {
  const response = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: ({ req, resHeaders }) => createContext({ req, resHeaders }),
  });
  response.headers.set("Cache-Control", "no-store");
  return response;
}
