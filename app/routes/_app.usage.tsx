import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { AdminData } from "~/components/admin/admin-data";
import { PageHeader } from "~/components/ui/empty-state";
import { UsageDashboard } from "~/components/usage/usage-dashboard";

export const meta: MetaFunction = () => [{ title: "Usage · AI Hub" }];

export default function Usage() {
  return (
    <AdminData>
      <PageHeader
        title="Usage"
        description="Requests, tokens, cost and latency of your calls."
        actions={
          <Link className="btn-secondary" to="/usage/calls">
            Call log
          </Link>
        }
      />
      <UsageDashboard scope="mine" callsHref="/usage/calls" />
    </AdminData>
  );
}
