import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { isAdmin, requireUser } from "@server/auth/require.server";
import { AdminData } from "~/components/admin/admin-data";
import { PageHeader } from "~/components/ui/empty-state";
import { CallLog } from "~/components/usage/call-log";

export const meta: MetaFunction = () => [{ title: "Call log · AI Hub" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const all = new URL(request.url).searchParams.get("scope") === "all";
  if (all && !isAdmin(user)) throw new Response("Only owners and admins can see everyone's calls.", { status: 403 });
  return data({ scope: all ? ("all" as const) : ("mine" as const), canSeeAll: isAdmin(user) });
}

export default function CallLogPage() {
  const { scope, canSeeAll } = useLoaderData<typeof loader>();
  return (
    <AdminData>
      <PageHeader
        title={scope === "all" ? "Call log (all users)" : "Call log"}
        description="Every model call, newest first. Open one for its details."
        actions={
          <div className="flex gap-2">
            {canSeeAll ? (
              <Link className="btn-secondary" to={scope === "all" ? "/usage/calls" : "/usage/calls?scope=all"}>
                {scope === "all" ? "Only my calls" : "Everyone's calls"}
              </Link>
            ) : null}
            <Link className="btn-secondary" to={scope === "all" ? "/admin/usage" : "/usage"}>
              Charts
            </Link>
          </div>
        }
      />
      <CallLog key={scope} scope={scope} />
    </AdminData>
  );
}
