import type { MetaFunction } from "@remix-run/node";
import { ProvidersPage } from "~/components/admin/providers/providers-page";

export const meta: MetaFunction = () => [{ title: "Providers · Admin · AI Hub" }];

export default function AdminProviders() {
  return <ProvidersPage />;
}
