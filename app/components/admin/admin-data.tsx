import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { makeTrpcClient, TRPCProvider } from "~/lib/trpc";
import { NoticeProvider } from "./notice";

/** 4xx answers are final (validation, permissions, not found): retrying them only delays the message. */
function retry(failures: number, error: unknown): boolean {
  const status = (error as { data?: { httpStatus?: number } })?.data?.httpStatus ?? 500;
  return status >= 500 && failures < 2;
}

/** The query client and tRPC client of the console, made once per browser tab. */
export function AdminData({ children }: { children: React.ReactNode }) {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: { staleTime: 5_000, retry, refetchOnWindowFocus: false },
          mutations: { retry: false },
        },
      }),
  );
  const [trpcClient] = useState(makeTrpcClient);
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <NoticeProvider>{children}</NoticeProvider>
      </TRPCProvider>
    </QueryClientProvider>
  );
}
