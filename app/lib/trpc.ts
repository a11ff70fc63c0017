/**
 * The console's tRPC client (a resource route handing the request to tRPC's fetch adapter): typed hooks from @trpc/tanstack-react-query over
 * @tanstack/react-query. Only the admin layout mounts the provider (app/components/admin/admin-data.tsx), so the
 * other pages do not load the query client.
 */
import { createTRPCClient, httpBatchLink, type TRPCClientErrorLike } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@server/trpc/root";

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type TrpcError = TRPCClientErrorLike<AppRouter>;

export function makeTrpcClient() {
  return createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: "/api/trpc" })] });
}
