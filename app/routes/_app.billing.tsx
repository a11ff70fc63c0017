import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireUser } from "@server/auth/require.server";
import { getBillingPage } from "@server/billing/billing-page.server";
import { BalanceCard, LowBalanceBanner } from "~/components/billing/balance-summary";
import { CostByModel } from "~/components/billing/cost-by-model";
import { HistoryFilters, HistoryTable } from "~/components/billing/transaction-history";
import { PageHeader } from "~/components/ui/empty-state";

export const meta: MetaFunction = () => [{ title: "Billing · AI Hub" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return getBillingPage(await requireUser(request), new URL(request.url));
}

export default function Billing() {
  const page = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title="Billing" description="Your credit balance, top-ups and what each model cost you." />
      {page.low ? (
        <LowBalanceBanner balance={page.balance} threshold={page.lowThreshold} buyLink={page.buyLink} />
      ) : null}
      {page.enabled ? (
        <BalanceCard
          balance={page.balance}
          reserved={page.reserved}
          buyLink={page.buyLink}
          monthTotal={page.month.total}
          monthLabel={page.month.label}
        />
      ) : (
        <p className="card px-4 py-3 text-sm text-ink-muted">
          Credit billing is off on this hub: your calls are priced for reporting ({page.month.total} credits in{" "}
          {page.month.label}) but never refused for credit.
        </p>
      )}
      <section className="mt-8" aria-labelledby="month-heading">
        <h2 id="month-heading" className="mb-3 text-lg font-semibold text-ink">
          Cost per model, {page.month.label}
        </h2>
        <CostByModel models={page.month.models} monthLabel={page.month.label} />
      </section>
      <section className="mt-8" aria-labelledby="history-heading">
        <h2 id="history-heading" className="mb-3 text-lg font-semibold text-ink">
          Transactions
        </h2>
        <HistoryFilters filters={page.filters} />
        <HistoryTable page={page.history} caption="Your credit transactions" />
      </section>
    </>
  );
}
