import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { requireAdmin } from "@server/auth/require.server";
import { AdminData } from "~/components/admin/admin-data";
import { PageHeader } from "~/components/ui/empty-state";
import { UsageDashboard } from "~/components/usage/usage-dashboard";

export const meta: MetaFunction = () => [{ title: "Usage (all users) · AI Hub" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  return null;
}

export default function AdminUsage() {
  return (
    <AdminData>
      <PageHeader
        title="Usage"
        description="Every user's requests, tokens, cost and latency."
        actions={
          <Link className="btn-secondary" to="/usage/calls?scope=all">
            Call log
          </Link>
        }
      />
      <UsageDashboard scope="all" callsHref="/usage/calls?scope=all" />
    </AdminData>
  );
}
