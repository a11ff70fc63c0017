import { Link } from "@remix-run/react";
import { PageHeader } from "~/components/ui/empty-state";

const SECTIONS = [
  { to: "/admin/providers", title: "Providers", text: "Provider accounts and their keys, weights, health and a one-token test." },
  { to: "/admin/models", title: "Models", text: "Which models callers can use, their names and aliases, and dated rates." },
  { to: "/admin/users", title: "Users", text: "Roles, disabled accounts, credit grants, each person's keys and usage." },
  { to: "/admin/keys", title: "Keys", text: "Every access key in the hub, by person or app; revoke one at once." },
  { to: "/admin/quotas", title: "Quotas", text: "Requests and tokens per minute, concurrency, daily and monthly budgets." },
  { to: "/admin/ip-rules", title: "IP rules", text: "Allow and deny lists for the API or one key, and trusted proxies." },
  { to: "/admin/settings", title: "Settings", text: "Billing, credit price and margin, sign-in policy and providers, call records." },
  { to: "/admin/audit", title: "Audit log", text: "Who changed what, when and from where, with before and after." },
];

export default function AdminOverview() {
  return (
    <>
      <PageHeader title="Admin" description="Run the hub: providers, models and rates, users, quotas, IP rules, settings and the audit log." />
      <ul className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
        {SECTIONS.map((s) => (
          <li key={s.to}>
            <Link to={s.to} className="card block h-full p-5 transition-colors hover:border-brand-200 hover:bg-brand-50/40">
              <h2 className="text-base font-semibold text-ink">{s.title}</h2>
              <p className="mt-1 text-sm text-ink-muted">{s.text}</p>
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}
