import { Form } from "@remix-run/react";
import type { AdminBillingData } from "@server/billing/admin-billing.server";

/** Every user's balance, dearest first, searchable by email. */
export function AccountsTable({ accounts, query }: { accounts: AdminBillingData["accounts"]; query: string }) {
  return (
    <div className="card table-scroll">
      <Form method="get" className="flex items-end gap-2 border-b border-line p-3" aria-label="Search balances">
        <label className="flex-1 text-sm">
          <span className="sr-only">Email contains</span>
          <input name="q" defaultValue={query} placeholder="Search by email" className="field-input" />
        </label>
        <button type="submit" className="btn-secondary">
          Search
        </button>
      </Form>
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Balances of all users</caption>
        <thead className="bg-surface-muted text-xs font-medium uppercase tracking-wide text-ink-faint">
          <tr>
            <th scope="col" className="px-4 py-2">
              User
            </th>
            <th scope="col" className="px-4 py-2 text-right">
              Balance
            </th>
            <th scope="col" className="px-4 py-2 text-right">
              Held
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-line">
          {accounts.length === 0 ? (
            <tr>
              <td colSpan={3} className="px-4 py-6 text-center text-ink-muted">
                No users match.
              </td>
            </tr>
          ) : (
            accounts.map((a) => (
              <tr key={a.userId} data-testid="account-row">
                <td className="px-4 py-2">
                  <p className="text-ink">{a.email}</p>
                  <p className="text-xs text-ink-faint">{a.name}</p>
                </td>
                <td className={`px-4 py-2 text-right font-mono ${a.balanceMicro <= 0 ? "text-ink-faint" : "text-ink"}`}>
                  {a.balance}
                </td>
                <td className="px-4 py-2 text-right font-mono text-ink-muted">{a.reserved}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

export function UnmatchedPayments({ payments }: { payments: AdminBillingData["unmatched"] }) {
  if (payments.length === 0) return null;
  return (
    <section className="card p-4" aria-labelledby="unmatched-heading">
      <h2 id="unmatched-heading" className="text-base font-semibold text-ink">
        Payments not credited
      </h2>
      <p className="mt-1 text-sm text-ink-muted">
        Stripe payments the hub could not match to a user (or in another currency). Grant the credit by hand above.
      </p>
      <ul className="mt-3 divide-y divide-line text-sm">
        {payments.map((p) => (
          <li key={p.id} className="flex flex-wrap justify-between gap-2 py-2">
            <span className="font-mono text-xs">{p.id}</span>
            <span className="text-ink-muted">{p.detail}</span>
            <span className="text-ink-faint">
              {p.status} · {p.when}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
