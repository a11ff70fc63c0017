import type { MetaFunction } from "@remix-run/node";
import { QuotasPage } from "~/components/admin/quotas/quotas-page";

export const meta: MetaFunction = () => [{ title: "Quotas · Admin · AI Hub" }];

export default function AdminQuotas() {
  return <QuotasPage />;
}
