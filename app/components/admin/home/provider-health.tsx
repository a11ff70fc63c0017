/** Each provider's credentials with their health and last error, and the provider's error rate over 24 hours. */
import { Link } from "@remix-run/react";
import { count, percentText } from "~/components/usage/format";
import { formatDateTime } from "../format";
import { Badge, Section, type Tone } from "../ui";
import { failuresHref, type AdminHomeData } from "./links";

type Provider = AdminHomeData["providers"][number];

const HEALTH: Record<Provider["credentials"][number]["health"], { tone: Tone; label: string }> = {
  healthy: { tone: "ok", label: "Healthy" },
  probing: { tone: "warn", label: "Probing" },
  unhealthy: { tone: "danger", label: "Cooling down" },
};

function Recent({ provider: p, range }: { provider: Provider; range: AdminHomeData["ranges"]["recent"] }) {
  if (!p.recent.requests) return <span className="text-ink-faint">No calls in 24 hours</span>;
  return (
    <Link
      to={failuresHref(range, { providerName: p.name })}
      className="hover:underline"
      data-testid={`home-provider-${p.name}-recent`}
    >
      {count(p.recent.requests)} {p.recent.requests === 1 ? "call" : "calls"}
      <span className={p.recent.failed ? "text-danger" : "text-ink-faint"}>
        {" "}
        · {percentText(p.recent.errorRate ?? 0)} failed
      </span>
    </Link>
  );
}

export function ProviderHealth({ data }: { data: AdminHomeData }) {
  return (
    <Section
      title="Providers"
      description="Each credential's health and last error; calls and failures over the last 24 hours."
      actions={
        <Link className="text-sm text-brand-700 hover:underline" to="/admin/providers">
          Manage providers
        </Link>
      }
    >
      {data.providers.length === 0 ? (
        <p className="text-sm text-ink-muted">
          No providers yet.{" "}
          <Link className="text-brand-700 underline" to="/admin/providers">
            Add one
          </Link>{" "}
          so calls have somewhere to go.
        </p>
      ) : (
        <ul className="divide-y divide-line">
          {data.providers.map((p) => (
            <li key={p.id} className="py-3 first:pt-0 last:pb-0" data-testid={`home-provider-${p.name}`}>
              <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
                <p className="font-medium text-ink">
                  {p.title} <code className="ml-1 font-mono text-xs text-ink-faint">{p.name}/…</code>
                  {p.enabled ? null : (
                    <span className="ml-2">
                      <Badge>Disabled</Badge>
                    </span>
                  )}
                </p>
                <p className="text-sm">
                  <Recent provider={p} range={data.ranges.recent} />
                </p>
              </div>
              {p.credentials.length === 0 ? (
                <p className="mt-1 text-sm text-danger">No credentials: it cannot take calls.</p>
              ) : null}
              <ul className="mt-1.5 space-y-1.5">
                {p.credentials.map((c) => (
                  <li key={c.id} className="text-sm" data-testid={`home-credential-${p.name}-${c.name}`}>
                    <div className="flex flex-wrap items-center gap-2">
                      <span className={c.enabled ? "text-ink" : "text-ink-faint"}>{c.name}</span>
                      {c.enabled ? (
                        <Badge
                          tone={HEALTH[c.health].tone}
                          title={c.cooldownUntil ? `Skipped until ${formatDateTime(c.cooldownUntil)}` : undefined}
                        >
                          {HEALTH[c.health].label}
                        </Badge>
                      ) : (
                        <Badge>Disabled</Badge>
                      )}
                      {c.consecutiveFailures ? (
                        <span className="text-xs text-ink-faint">{c.consecutiveFailures} failed in a row</span>
                      ) : null}
                    </div>
                    {c.lastError ? (
                      <p
                        className="mt-0.5 line-clamp-2 break-words text-xs text-danger"
                        title={`${c.lastError} (${formatDateTime(c.lastErrorAt)})`}
                      >
                        Last error {formatDateTime(c.lastErrorAt)}: {c.lastError}
                      </p>
                    ) : null}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
