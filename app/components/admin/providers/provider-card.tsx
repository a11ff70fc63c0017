import { actionsRow, actionsTd, actionsTh, Badge, SmallButton, td, th, type Tone } from "../ui";
import { formatDateTime, percent } from "../format";
import type { AdminCredential, AdminProvider } from "./provider-dialogs";

export type TestState = { pending: true } | { pending: false; ok: boolean; message: string; model: string | null };

const HEALTH: Record<AdminCredential["health"], { tone: Tone; label: string }> = {
  healthy: { tone: "ok", label: "Healthy" },
  probing: { tone: "warn", label: "Probing" },
  unhealthy: { tone: "danger", label: "Cooling down" },
};

function LastHour({ stats }: { stats: AdminProvider["lastHour"] }) {
  if (!stats.calls) return <span className="text-ink-faint">No calls</span>;
  return (
    <span>
      {stats.calls} {stats.calls === 1 ? "call" : "calls"}
      <span className={`ml-1 ${stats.errors ? "text-danger" : "text-ink-faint"}`}>
        · {percent(stats.errorRate)} errors
      </span>
    </span>
  );
}

export interface ProviderActions {
  onEdit(): void;
  onToggle(): void;
  onDelete(): void;
  onAddCredential(): void;
  onEditCredential(c: AdminCredential): void;
  onDeleteCredential(c: AdminCredential): void;
  onTest(c: AdminCredential): void;
}

/** One provider: what it is, where it points, its credentials with health, and the last hour's traffic. */
export function ProviderCard({
  provider: p,
  tests,
  actions,
}: {
  provider: AdminProvider;
  tests: Record<string, TestState>;
  actions: ProviderActions;
}) {
  return (
    <article className="card" aria-labelledby={`provider-${p.id}`} data-testid={`provider-${p.name}`}>
      <header className="flex flex-wrap items-start justify-between gap-3 border-b border-line px-5 py-4">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2">
            <h2 id={`provider-${p.id}`} className="text-base font-semibold text-ink">
              {p.displayName}
            </h2>
            <code className="rounded bg-surface-sunken px-1.5 py-0.5 font-mono text-xs text-ink-muted">{p.name}/…</code>
            {p.enabled ? <Badge tone="ok">Enabled</Badge> : <Badge>Disabled</Badge>}
          </div>
          <p className="mt-1 truncate text-sm text-ink-muted" title={p.baseUrl ?? p.defaultBaseUrl ?? ""}>
            {p.baseUrl ?? <span className="text-ink-faint">{p.defaultBaseUrl}</span>}
            {" · "}
            <a className="text-brand-700 hover:underline" href={`/admin/models?provider=${p.id}`}>
              {p.modelCount} {p.modelCount === 1 ? "model" : "models"}
            </a>
            {" · "}
            <span className="text-ink-faint">last hour: </span>
            <LastHour stats={p.lastHour} />
          </p>
        </div>
        <div className="flex shrink-0 gap-2">
          <SmallButton onClick={actions.onEdit} aria-label={`Edit provider ${p.name}`}>
            Edit
          </SmallButton>
          <SmallButton onClick={actions.onToggle} aria-label={`${p.enabled ? "Disable" : "Enable"} provider ${p.name}`}>
            {p.enabled ? "Disable" : "Enable"}
          </SmallButton>
          <SmallButton danger onClick={actions.onDelete} aria-label={`Delete provider ${p.name}`}>
            Delete
          </SmallButton>
        </div>
      </header>
      <div className="table-scroll">
        <table className="w-full min-w-[44rem] text-sm">
          <caption className="sr-only">Credentials of {p.name}</caption>
          <thead>
            <tr>
              <th scope="col" className={th}>
                Credential
              </th>
              <th scope="col" className={th}>
                Key
              </th>
              <th scope="col" className={`${th} text-right`}>
                Weight
              </th>
              <th scope="col" className={th}>
                Health
              </th>
              <th scope="col" className={th}>
                Last hour
              </th>
              <th scope="col" className={th}>
                Last error
              </th>
              <th scope="col" className={actionsTh}>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-line border-t border-line">
            {p.credentials.length === 0 ? (
              <tr>
                <td colSpan={7} className="px-3 py-4 text-center text-ink-faint">
                  No credentials: this provider cannot take calls until you add one.
                </td>
              </tr>
            ) : null}
            {p.credentials.map((c) => (
              <CredentialRow key={c.id} c={c} test={tests[c.id]} actions={actions} />
            ))}
          </tbody>
        </table>
      </div>
      <footer className="border-t border-line px-5 py-3">
        <SmallButton onClick={actions.onAddCredential} aria-label={`Add a credential to ${p.name}`}>
          + Add credential
        </SmallButton>
      </footer>
    </article>
  );
}

function CredentialRow({
  c,
  test,
  actions,
}: {
  c: AdminCredential;
  test: TestState | undefined;
  actions: ProviderActions;
}) {
  const health = HEALTH[c.health];
  return (
    <>
      <tr className={c.enabled ? undefined : "text-ink-faint"}>
        <td className={`${td} font-medium`}>
          {c.name}
          {c.enabled ? null : (
            <span className="ml-2">
              <Badge>Disabled</Badge>
            </span>
          )}
        </td>
        <td className={`${td} whitespace-nowrap font-mono text-xs`}>
          {c.secretPreview ?? <span className="text-ink-faint">none</span>}
        </td>
        <td className={`${td} text-right`}>{c.weight}</td>
        <td className={td}>
          <Badge
            tone={health.tone}
            title={c.cooldownUntil ? `Skipped until ${formatDateTime(c.cooldownUntil)}` : undefined}
          >
            {health.label}
          </Badge>
          {c.consecutiveFailures ? (
            <span className="ml-1 text-xs text-ink-faint">{c.consecutiveFailures} failed</span>
          ) : null}
        </td>
        <td className={`${td} whitespace-nowrap`}>
          <LastHour stats={c.lastHour} />
        </td>
        <td className={`${td} max-w-[16rem]`}>
          {c.lastError ? (
            <span
              className="line-clamp-2 text-xs text-danger"
              title={`${c.lastError} (${formatDateTime(c.lastErrorAt)})`}
            >
              {c.lastError}
            </span>
          ) : (
            <span className="text-ink-faint">—</span>
          )}
        </td>
        <td className={actionsTd}>
          <div className={actionsRow}>
            <SmallButton
              onClick={() => actions.onTest(c)}
              disabled={test?.pending}
              aria-label={`Test credential ${c.name}`}
            >
              {test?.pending ? "Testing…" : "Test"}
            </SmallButton>
            <SmallButton onClick={() => actions.onEditCredential(c)} aria-label={`Edit credential ${c.name}`}>
              Edit
            </SmallButton>
            <SmallButton
              danger
              onClick={() => actions.onDeleteCredential(c)}
              aria-label={`Delete credential ${c.name}`}
            >
              Delete
            </SmallButton>
          </div>
        </td>
      </tr>
      {test && !test.pending ? (
        <tr>
          <td colSpan={7} className="px-3 pb-3 pt-0">
            <p
              role="status"
              className={`rounded-md px-3 py-1.5 text-sm ${test.ok ? "bg-ok-soft text-ok" : "bg-danger-soft text-danger"}`}
              data-testid={`test-result-${c.name}`}
            >
              {test.ok ? "✓ " : "✗ "}
              {test.message}
              {test.model ? <span className="opacity-75"> · model {test.model}</span> : null}
            </p>
          </td>
        </tr>
      ) : null}
    </>
  );
}
