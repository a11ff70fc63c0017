import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ConfirmDialog, FormDialog, text } from "~/components/admin/form-dialog";
import { useTRPC } from "~/lib/trpc";

interface Item {
  id: string;
  title: string;
}

/** The person's saved conversations: open one, start a new one, rename or delete (each confirmed in a dialog). */
export function ConversationList({
  currentId,
  onOpen,
  onNew,
  onDeleted,
}: {
  currentId: string | null;
  onOpen: (id: string) => void;
  onNew: () => void;
  onDeleted: (id: string) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.playground.list.queryOptions());
  const rename = useMutation(trpc.playground.rename.mutationOptions());
  const remove = useMutation(trpc.playground.delete.mutationOptions());
  const [renaming, setRenaming] = useState<Item | null>(null);
  const [deleting, setDeleting] = useState<Item | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.playground.pathKey() });

  return (
    <nav aria-label="Conversations" className="flex min-h-0 flex-col">
      <button type="button" className="btn-primary w-full" onClick={onNew}>
        New chat
      </button>
      <h2 className="mt-5 mb-2 px-1 text-xs font-semibold uppercase tracking-wide text-ink-faint">History</h2>
      {list.isPending ? <p className="px-1 text-sm text-ink-faint">Loading…</p> : null}
      {list.isError ? <p className="px-1 text-sm text-danger">Could not load your conversations.</p> : null}
      {list.data?.length === 0 ? <p className="px-1 text-sm text-ink-faint">Your chats are saved here.</p> : null}
      <ul className="space-y-1 overflow-y-auto">
        {list.data?.map((c) => (
          <li
            key={c.id}
            className={`group flex items-center gap-1 rounded-lg pr-1 ${c.id === currentId ? "bg-brand-50" : "hover:bg-surface-sunken"}`}
            data-testid="conversation-item"
          >
            <button
              type="button"
              className={`min-w-0 flex-1 truncate px-2 py-1.5 text-left text-sm ${c.id === currentId ? "font-medium text-brand-700" : "text-ink"}`}
              aria-current={c.id === currentId ? "page" : undefined}
              onClick={() => onOpen(c.id)}
              title={c.title}
            >
              {c.title}
            </button>
            <button
              type="button"
              className="rounded p-1 text-ink-faint hover:bg-surface hover:text-ink"
              aria-label={`Rename ${c.title}`}
              onClick={() => setRenaming(c)}
            >
              <svg
                viewBox="0 0 20 20"
                className="h-4 w-4"
                fill="none"
                stroke="currentColor"
                strokeWidth="1.6"
                aria-hidden="true"
              >
                <path d="M4 14.5V16h1.5l8-8L12 6.5l-8 8ZM12 6.5 13.5 5 15 6.5 13.5 8" strokeLinejoin="round" />
              </svg>
            </button>
            <button
              type="button"
              className="rounded p-1 text-ink-faint hover:bg-surface hover:text-danger"
              aria-label={`Delete ${c.title}`}
              onClick={() => setDeleting(c)}
            >
              <svg
                viewBox="0 0 20 20"
                className="h-4 w-4"
                fill="none"
                stroke="currentColor"
                strokeWidth="1.6"
                aria-hidden="true"
              >
                <path d="M5 6h10M8 6V4.5h4V6m-6 0 .6 9.5h6.8L14 6" strokeLinecap="round" strokeLinejoin="round" />
              </svg>
            </button>
          </li>
        ))}
      </ul>
      <FormDialog
        open={renaming !== null}
        onOpenChange={(open) => !open && setRenaming(null)}
        title="Rename conversation"
        submitLabel="Rename"
        onSubmit={async (form) => {
          await rename.mutateAsync({ id: renaming!.id, title: text(form, "title") });
          await refresh();
        }}
      >
        {(errors) => (
          <div>
            <label htmlFor="conversation-title" className="field-label">
              Title
            </label>
            <input
              id="conversation-title"
              name="title"
              className="field-input"
              defaultValue={renaming?.title}
              maxLength={80}
              required
              aria-invalid={errors.title ? true : undefined}
            />
            {errors.title ? <p className="field-error">{errors.title}</p> : null}
          </div>
        )}
      </FormDialog>
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => !open && setDeleting(null)}
        title="Delete conversation?"
        confirmLabel="Delete"
        onConfirm={async () => {
          const id = deleting!.id;
          await remove.mutateAsync({ id });
          onDeleted(id);
          await refresh();
        }}
      >
        “{deleting?.title}” and its messages will be deleted. The calls stay in your usage.
      </ConfirmDialog>
    </nav>
  );
}
