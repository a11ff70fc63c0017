import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireAdmin } from "@server/auth/require.server";
import { getAdminBillingPage, handleAdminBillingAction } from "@server/billing/admin-billing.server";
import { AccountsTable, UnmatchedPayments } from "~/components/billing/admin-accounts";
import { CreditForm, SettingsForm, Totals } from "~/components/billing/admin-panels";
import { HistoryFilters, HistoryTable } from "~/components/billing/transaction-history";
import { PageHeader } from "~/components/ui/empty-state";

export const meta: MetaFunction = () => [{ title: "Billing · Admin · AI Hub" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return getAdminBillingPage(new URL(request.url), await requireAdmin(request));
}

export async function action({ request }: ActionFunctionArgs) {
  const result = await handleAdminBillingAction(request, await requireAdmin(request));
  return data(result, { status: result.ok ? 200 : (result.status ?? 400) });
}

export default function AdminBilling() {
  const page = useLoaderData<typeof loader>();
  const { ledgerQuery } = page;
  return (
    <>
      <PageHeader
        title="Billing"
        description="Credit across the hub: balances, the ledger, grants and the billing settings."
      />
      <Totals totals={page.totals} />
      <div className="mt-6 grid items-start gap-6 xl:grid-cols-2">
        <CreditForm />
        <SettingsForm settings={page.settings} editable={page.editable} />
      </div>
      <section className="mt-8" aria-labelledby="balances-heading">
        <h2 id="balances-heading" className="mb-3 text-lg font-semibold text-ink">
          Balances
        </h2>
        <AccountsTable accounts={page.accounts} query={page.accountQuery} />
      </section>
      <div className="mt-6">
        <UnmatchedPayments payments={page.unmatched} />
      </div>
      <section className="mt-8" aria-labelledby="ledger-heading">
        <h2 id="ledger-heading" className="mb-3 text-lg font-semibold text-ink">
          Ledger
        </h2>
        <HistoryFilters
          filters={page.filters}
          extra={
            <>
              <label className="w-48 text-sm">
                <span className="field-label">User email</span>
                <input name="user" defaultValue={ledgerQuery.user} className="field-input" />
              </label>
              <label className="w-48 text-sm">
                <span className="field-label">Reference</span>
                <input
                  name="ref"
                  defaultValue={ledgerQuery.ref}
                  placeholder="call or payment id"
                  className="field-input"
                />
              </label>
            </>
          }
        />
        <HistoryTable page={page.ledger} showUser caption="Ledger entries" />
      </section>
    </>
  );
}
