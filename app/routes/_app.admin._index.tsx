import { useQuery } from "@tanstack/react-query";
import { CreditCard } from "~/components/admin/home/credit-card";
import { LatestFailures } from "~/components/admin/home/latest-failures";
import { PeriodCards } from "~/components/admin/home/period-cards";
import { ProviderHealth } from "~/components/admin/home/provider-health";
import { TopSpenders } from "~/components/admin/home/top-spenders";
import { ErrorState, Loading } from "~/components/admin/ui";
import { PageHeader } from "~/components/ui/empty-state";
import { useTRPC } from "~/lib/trpc";

/** The operator's home: today's traffic and spend against yesterday and the week, provider health, who spends, what fails. */
export default function AdminOverview() {
  const trpc = useTRPC();
  const home = useQuery(trpc.adminHome.get.queryOptions());
  return (
    <>
      <PageHeader title="Admin" description="The hub at a glance. Every number opens the page that explains it." />
      {home.isPending ? <Loading what="today's numbers" /> : null}
      {home.error ? <ErrorState error={home.error} onRetry={() => void home.refetch()} /> : null}
      {home.data ? (
        <div className="space-y-6" data-testid="admin-home">
          <PeriodCards data={home.data} />
          {home.data.billing ? <CreditCard billing={home.data.billing} /> : null}
          <div className="grid items-start gap-6 xl:grid-cols-2">
            <ProviderHealth data={home.data} />
            <LatestFailures data={home.data} />
          </div>
          <TopSpenders data={home.data} />
        </div>
      ) : null}
    </>
  );
}
