import type { MetaFunction } from "@remix-run/node";
import { AuditPage } from "~/components/admin/audit/audit-page";

export const meta: MetaFunction = () => [{ title: "Audit log · Admin · AI Hub" }];

export default function AdminAudit() {
  return <AuditPage />;
}
