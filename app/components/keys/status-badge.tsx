import type { KeyStatus } from "@server/access-keys/owner-list.server";

const STYLES: Record<KeyStatus, string> = {
  active: "bg-ok-soft text-ok",
  expired: "bg-warn-soft text-warn",
  revoked: "bg-surface-sunken text-ink-muted",
};
const LABELS: Record<KeyStatus, string> = { active: "Active", expired: "Expired", revoked: "Revoked" };

export function StatusBadge({ status }: { status: KeyStatus }) {
  return (
    <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${STYLES[status]}`}>
      {LABELS[status]}
    </span>
  );
}
