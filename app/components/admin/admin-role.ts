import { useOutletContext } from "@remix-run/react";

export interface AdminContext {
  role: "owner" | "admin";
  userId: string;
}

/** The signed-in person's role, from the admin layout: owner-only controls are shown only to the owner. */
export function useAdmin(): AdminContext {
  return useOutletContext<AdminContext>();
}
