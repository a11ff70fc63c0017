import type { MetaFunction } from "@remix-run/node";
import { UsersPage } from "~/components/admin/users/users-page";

export const meta: MetaFunction = () => [{ title: "Users · Admin · AI Hub" }];

export default function AdminUsers() {
  return <UsersPage />;
}
