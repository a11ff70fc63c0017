/** The credit people hold, while billing is on: what the hub owes in calls not yet made. */
import { Link } from "@remix-run/react";
import { count, creditsShort, creditsText } from "~/components/usage/format";
import type { AdminHomeData } from "./links";

export function CreditCard({ billing }: { billing: NonNullable<AdminHomeData["billing"]> }) {
  return (
    <section className="card flex flex-wrap items-center justify-between gap-3 p-4" aria-label="Credit outstanding">
      <div>
        <h2 className="text-xs font-medium uppercase tracking-wide text-ink-faint">Credit outstanding</h2>
        <p className="mt-1">
          <Link
            to="/admin/billing"
            className="text-2xl font-semibold tabular-nums text-ink hover:text-brand-700 hover:underline"
            title={`${creditsText(billing.balanceMicro)} credits`}
            data-testid="home-credit-balance"
          >
            {creditsShort(billing.balanceMicro)}
          </Link>{" "}
          <span className="text-sm text-ink-muted">credits</span>
        </p>
        <p className="text-sm text-ink-muted">
          held by {count(billing.accounts)} {billing.accounts === 1 ? "person" : "people"}
          {billing.reservedMicro ? `, ${creditsShort(billing.reservedMicro)} on hold for calls in progress` : ""}
        </p>
      </div>
      <Link className="btn-secondary" to="/admin/billing">
        Billing
      </Link>
    </section>
  );
}
