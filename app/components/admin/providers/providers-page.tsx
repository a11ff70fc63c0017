import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "~/lib/trpc";
import { EmptyState, PageHeader } from "../../ui/empty-state";
import { errorInfo } from "../errors";
import { ConfirmDialog } from "../form-dialog";
import { useNotice } from "../notice";
import { ErrorState, Loading } from "../ui";
import { useRefresh } from "../use-refresh";
import { CredentialDialog, type CredentialTarget } from "./credential-dialog";
import { ProviderCard, type TestState } from "./provider-card";
import { AddProviderDialog, EditProviderDialog, type AdminCredential, type AdminProvider } from "./provider-dialogs";

type Pending =
  | { kind: "delete-provider"; provider: AdminProvider }
  | { kind: "delete-credential"; provider: AdminProvider; credential: AdminCredential }
  | null;

export function ProvidersPage() {
  const trpc = useTRPC();
  const list = useQuery(trpc.providers.list.queryOptions());
  const update = useMutation(trpc.providers.update.mutationOptions());
  const remove = useMutation(trpc.providers.delete.mutationOptions());
  const removeCredential = useMutation(trpc.providers.deleteCredential.mutationOptions());
  const test = useMutation(trpc.providers.testCredential.mutationOptions());
  const refresh = useRefresh();
  const notify = useNotice();
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<AdminProvider | null>(null);
  const [credential, setCredential] = useState<CredentialTarget | null>(null);
  const [pending, setPending] = useState<Pending>(null);
  const [tests, setTests] = useState<Record<string, TestState>>({});

  async function runTest(c: AdminCredential) {
    setTests((t) => ({ ...t, [c.id]: { pending: true } }));
    try {
      const r = await test.mutateAsync({ id: c.id });
      setTests((t) => ({ ...t, [c.id]: { pending: false, ok: r.ok, message: r.message, model: r.model } }));
    } catch (error) {
      setTests((t) => ({
        ...t,
        [c.id]: { pending: false, ok: false, message: errorInfo(error).message, model: null },
      }));
    }
    await refresh();
  }

  async function toggle(p: AdminProvider) {
    try {
      await update.mutateAsync({ id: p.id, enabled: !p.enabled });
      notify(`Provider ${p.name} ${p.enabled ? "disabled" : "enabled"}`);
    } catch (error) {
      notify(errorInfo(error).message);
    }
    await refresh();
  }

  const addButton = (
    <button type="button" className="btn-primary" onClick={() => setAdding(true)}>
      Add provider
    </button>
  );

  return (
    <>
      <PageHeader
        title="Providers"
        description="Where calls go: each provider with its keys, their health and the last hour's traffic."
        actions={addButton}
      />
      {list.isPending ? <Loading what="providers" /> : null}
      {list.isError ? <ErrorState error={list.error} onRetry={() => list.refetch()} /> : null}
      {list.data?.length === 0 ? (
        <EmptyState title="No providers yet" action={addButton}>
          Add OpenAI, Anthropic, Google or any other provider with its API key, or the <strong>mock</strong> kind, which
          answers without an account.
        </EmptyState>
      ) : null}
      <div className="space-y-5">
        {list.data?.map((p) => (
          <ProviderCard
            key={p.id}
            provider={p}
            tests={tests}
            actions={{
              onEdit: () => setEditing(p),
              onToggle: () => void toggle(p),
              onDelete: () => setPending({ kind: "delete-provider", provider: p }),
              onAddCredential: () => setCredential({ provider: p, credential: null }),
              onEditCredential: (c) => setCredential({ provider: p, credential: c }),
              onDeleteCredential: (c) => setPending({ kind: "delete-credential", provider: p, credential: c }),
              onTest: (c) => void runTest(c),
            }}
          />
        ))}
      </div>
      <AddProviderDialog open={adding} onOpenChange={setAdding} />
      <EditProviderDialog provider={editing} onClose={() => setEditing(null)} />
      <CredentialDialog target={credential} onClose={() => setCredential(null)} />
      <ConfirmDialog
        open={pending?.kind === "delete-provider"}
        onOpenChange={(open) => !open && setPending(null)}
        title={`Delete provider ${pending?.provider.name ?? ""}?`}
        confirmLabel="Delete provider"
        onConfirm={async () => {
          await remove.mutateAsync({ id: pending!.provider.id });
          await refresh();
          notify(`Provider ${pending!.provider.name} deleted`);
        }}
      >
        Its credentials, models, aliases and rates are deleted with it, and calls to{" "}
        <code className="font-mono">{pending?.provider.name}/…</code> will fail. Past call records keep its name. To
        stop it for a while instead, disable it.
      </ConfirmDialog>
      <ConfirmDialog
        open={pending?.kind === "delete-credential"}
        onOpenChange={(open) => !open && setPending(null)}
        title={`Delete credential ${pending?.kind === "delete-credential" ? pending.credential.name : ""}?`}
        confirmLabel="Delete credential"
        onConfirm={async () => {
          if (pending?.kind !== "delete-credential") return;
          await removeCredential.mutateAsync({ id: pending.credential.id });
          await refresh();
          notify(`Credential ${pending.credential.name} deleted`);
        }}
      >
        The stored key is deleted and cannot be recovered. Calls go to the provider&apos;s other credentials.
      </ConfirmDialog>
    </>
  );
}
