import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { requireUser } from "@server/auth/require.server";
import { getPlaygroundPage } from "@server/playground/playground-page.server";
import { AdminData } from "~/components/admin/admin-data";
import { PlaygroundPage } from "~/components/playground/playground-page";
import { EmptyState, PageHeader } from "~/components/ui/empty-state";

export const meta: MetaFunction = () => [{ title: "Playground · AI Hub" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return getPlaygroundPage();
}

// The tab and conversation live in the query string; switching them needs no new model list.
export const shouldRevalidate: ShouldRevalidateFunction = ({ currentUrl, nextUrl, defaultShouldRevalidate }) =>
  currentUrl.pathname === nextUrl.pathname ? false : defaultShouldRevalidate;

export default function Playground() {
  const data = useLoaderData<typeof loader>();
  const empty = data.providers.every((p) => p.models.length === 0);
  return (
    <AdminData>
      <PageHeader
        title="Playground"
        description="Try models in the browser. Calls go through the hub like an app's: they show in your usage as “playground” and use your credit."
      />
      {empty ? (
        <EmptyState title="No models to try yet">
          Once a provider and a model are configured (Admin → Providers and Models), chat, images and embeddings are
          available here.
        </EmptyState>
      ) : (
        <PlaygroundPage {...data} />
      )}
    </AdminData>
  );
}
