import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/lib/trpc";
import { formatDateTime } from "../format";
import { Modal } from "../../ui/modal";
import { ErrorState, Loading } from "../ui";

function Json({ label, value }: { label: string; value: unknown }) {
  return (
    <div className="min-w-0">
      <h3 className="mb-1 text-xs font-medium uppercase tracking-wide text-ink-faint">{label}</h3>
      {value === null || value === undefined ? (
        <p className="rounded-lg bg-surface-muted px-3 py-2 text-sm text-ink-faint">—</p>
      ) : (
        <pre className="max-h-[50vh] overflow-auto rounded-lg bg-surface-muted p-3 font-mono text-xs leading-relaxed text-ink">
          {JSON.stringify(value, null, 2)}
        </pre>
      )}
    </div>
  );
}

/** One audit entry: who, what, when, from where, and the record before and after (secrets removed). */
export function AuditDetailDialog({ id, onClose }: { id: string | null; onClose: () => void }) {
  const trpc = useTRPC();
  const entry = useQuery({ ...trpc.audit.get.queryOptions({ id: id ?? "" }), enabled: id !== null });
  const e = entry.data;
  return (
    <Modal
      open={id !== null}
      onOpenChange={(open) => !open && onClose()}
      size="xl"
      title={e ? e.action : "Audit entry"}
      description={e ? formatDateTime(e.createdAt) : undefined}
    >
      {entry.isPending ? <Loading what="the entry" /> : null}
      {entry.isError ? <ErrorState error={entry.error} /> : null}
      {e ? (
        <div className="space-y-5">
          <dl className="grid gap-4 text-sm sm:grid-cols-2">
            {[
              ["Actor", e.actorLabel],
              ["Target", e.targetType ? `${e.targetType} ${e.targetId ?? ""}` : "—"],
              ["IP address", e.ip ?? "—"],
              ["Browser or client", e.userAgent ?? "—"],
            ].map(([label, value]) => (
              <div key={label} className="min-w-0">
                <dt className="text-xs font-medium uppercase tracking-wide text-ink-faint">{label}</dt>
                <dd className="mt-0.5 break-words text-ink">{value}</dd>
              </div>
            ))}
          </dl>
          <div className="grid gap-4 lg:grid-cols-2">
            <Json label="Before" value={e.before} />
            <Json label="After" value={e.after} />
          </div>
        </div>
      ) : null}
    </Modal>
  );
}
