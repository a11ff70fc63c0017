import { useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";

/**
 * After a change, every console query is marked stale and the visible ones refetch: pages show derived numbers
 * (a provider's model count, a user's keys), so refreshing one list alone would leave others wrong.
 */
export function useRefresh(): () => Promise<void> {
  const queryClient = useQueryClient();
  return useCallback(() => queryClient.invalidateQueries(), [queryClient]);
}
