import type { AccessKeySummary } from "@server/access-keys/owner-list.server";
import { formatCount, formatDate, formatDateTime } from "./format";
import type { KeyAction } from "./key-action-dialog";
import { StatusBadge } from "./status-badge";

function Restrictions({ k }: { k: AccessKeySummary }) {
  const parts: string[] = [];
  if (k.allowedModels)
    parts.push(k.allowedModels.length === 1 ? k.allowedModels[0]! : `${k.allowedModels.length} models`);
  const l = k.limits;
  if (l?.requestsPerMinute) parts.push(`${formatCount(l.requestsPerMinute)} req/min`);
  if (l?.tokensPerMinute) parts.push(`${formatCount(l.tokensPerMinute)} tok/min`);
  if (l?.concurrency) parts.push(`${l.concurrency} at once`);
  if (l?.creditsPerDay) parts.push(`${formatCount(l.creditsPerDay)} credits/day`);
  if (!parts.length) return null;
  return (
    <p className="mt-0.5 text-xs text-ink-faint" title={k.allowedModels?.join(", ")}>
      {parts.join(" · ")}
    </p>
  );
}

type OnAction = (action: KeyAction, key: AccessKeySummary) => void;

function KeyActions({ k, onAction }: { k: AccessKeySummary; onAction: OnAction }) {
  if (k.status === "revoked") return null;
  return (
    <div className="flex justify-end gap-2">
      {k.status === "active" ? (
        <button
          type="button"
          className="btn-secondary px-2.5 py-1 text-xs"
          onClick={() => onAction("rotate", k)}
          aria-label={`Rotate ${k.name}`}
        >
          Rotate
        </button>
      ) : null}
      <button
        type="button"
        className="btn-secondary px-2.5 py-1 text-xs text-danger"
        onClick={() => onAction("revoke", k)}
        aria-label={`Revoke ${k.name}`}
      >
        Revoke
      </button>
    </div>
  );
}

/**
 * The person's keys: what each is, when it was made and last used, what it consumed, and whether it works. A table
 * from a tablet up; on a phone one card per key, so every fact and both buttons are in view without scrolling.
 */
export function KeyTable({ keys, onAction }: { keys: AccessKeySummary[]; onAction: OnAction }) {
  return (
    <>
      <KeyCards keys={keys} onAction={onAction} />
      <KeyRows keys={keys} onAction={onAction} />
    </>
  );
}

function KeyCards({ keys, onAction }: { keys: AccessKeySummary[]; onAction: OnAction }) {
  return (
    <ul className="space-y-3 sm:hidden" aria-label="Your access keys">
      {keys.map((k) => (
        <li key={k.id} className="card p-4" data-testid={`key-card-${k.prefix}`}>
          <div className="flex items-start justify-between gap-3">
            <div className="min-w-0">
              <p className={`font-medium ${k.status === "revoked" ? "text-ink-muted" : "text-ink"}`}>{k.name}</p>
              {k.appName ? <p className="text-xs text-ink-muted">App: {k.appName}</p> : null}
              <Restrictions k={k} />
            </div>
            <StatusBadge status={k.status} />
          </div>
          <dl className="mt-3 grid grid-cols-2 gap-x-4 gap-y-2 text-sm">
            <Fact label="Key">
              <span className="font-mono text-xs">{k.prefix}…</span>
            </Fact>
            <Fact label="Usage">
              {formatCount(k.usage.calls)} {k.usage.calls === 1 ? "call" : "calls"} · {formatCount(k.usage.tokens)}{" "}
              tokens
            </Fact>
            <Fact label="Created">{formatDate(k.createdAt)}</Fact>
            <Fact label="Last used">{k.lastUsedAt ? formatDate(k.lastUsedAt) : "Never"}</Fact>
            <Fact label={k.status === "revoked" ? (k.replacedById ? "Rotated" : "Revoked") : "Expires"}>
              {k.status === "revoked" ? formatDate(k.revokedAt) : k.expiresAt ? formatDate(k.expiresAt) : "Never"}
            </Fact>
          </dl>
          <div className="mt-3">
            <KeyActions k={k} onAction={onAction} />
          </div>
        </li>
      ))}
    </ul>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-ink-faint">{label}</dt>
      <dd className="break-words text-ink">{children}</dd>
    </div>
  );
}

function KeyRows({ keys, onAction }: { keys: AccessKeySummary[]; onAction: OnAction }) {
  return (
    <div className="card table-scroll hidden sm:block">
      <table className="w-full min-w-[56rem] text-left text-sm">
        <caption className="sr-only">Your access keys</caption>
        <thead className="border-b border-line bg-surface-muted text-xs font-medium uppercase tracking-wide text-ink-faint">
          <tr>
            <th scope="col" className="px-4 py-3">
              Name
            </th>
            <th scope="col" className="px-4 py-3">
              Key
            </th>
            <th scope="col" className="px-4 py-3">
              Created
            </th>
            <th scope="col" className="px-4 py-3">
              Last used
            </th>
            <th scope="col" className="px-4 py-3 text-right">
              Usage
            </th>
            <th scope="col" className="px-4 py-3">
              Expires
            </th>
            <th scope="col" className="px-4 py-3">
              Status
            </th>
            <th scope="col" className="actions-head w-40 px-4 py-3">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-line">
          {keys.map((k) => (
            <tr
              key={k.id}
              className={k.status === "revoked" ? "text-ink-faint" : undefined}
              data-testid={`key-row-${k.prefix}`}
            >
              <td className="px-4 py-3 align-top">
                <p className={`font-medium ${k.status === "revoked" ? "text-ink-muted" : "text-ink"}`}>{k.name}</p>
                {k.appName ? <p className="text-xs text-ink-muted">App: {k.appName}</p> : null}
                <Restrictions k={k} />
              </td>
              <td className="px-4 py-3 align-top font-mono text-xs whitespace-nowrap">{k.prefix}…</td>
              <td className="px-4 py-3 align-top whitespace-nowrap">{formatDate(k.createdAt)}</td>
              <td className="px-4 py-3 align-top whitespace-nowrap" title={formatDateTime(k.lastUsedAt)}>
                {k.lastUsedAt ? formatDate(k.lastUsedAt) : "Never"}
              </td>
              <td className="px-4 py-3 align-top text-right whitespace-nowrap">
                <p>
                  {formatCount(k.usage.calls)} {k.usage.calls === 1 ? "call" : "calls"}
                </p>
                <p className="text-xs text-ink-faint">{formatCount(k.usage.tokens)} tokens</p>
              </td>
              <td className="px-4 py-3 align-top whitespace-nowrap">
                {k.expiresAt ? formatDate(k.expiresAt) : "Never"}
              </td>
              <td className="px-4 py-3 align-top whitespace-nowrap">
                <StatusBadge status={k.status} />
                {k.status === "revoked" ? (
                  <p className="mt-1 text-xs text-ink-faint">
                    {k.replacedById ? `Rotated ${formatDate(k.revokedAt)}` : formatDate(k.revokedAt)}
                  </p>
                ) : null}
              </td>
              <td className="actions-cell px-4 py-3 align-top">
                <KeyActions k={k} onAction={onAction} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
