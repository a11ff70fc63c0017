import { useCallback, useState } from "react";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import type { AccessKeySummary } from "@server/access-keys/owner-list.server";
import { getKeysPage, handleKeysAction } from "@server/access-keys/keys-page.server";
import { requireUser } from "@server/auth/require.server";
import { CreateKeyDialog } from "~/components/keys/create-key-dialog";
import { KeyActionDialog, type KeyAction } from "~/components/keys/key-action-dialog";
import { KeyTable } from "~/components/keys/key-table";
import { EmptyState, PageHeader } from "~/components/ui/empty-state";

export const meta: MetaFunction = () => [{ title: "Keys · AI Hub" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return getKeysPage(await requireUser(request));
}

export async function action({ request }: ActionFunctionArgs) {
  const result = await handleKeysAction(request, await requireUser(request));
  // The answer may hold a new key: never cached anywhere on the way back.
  return data(result, { status: result.ok ? 200 : 400, headers: { "Cache-Control": "no-store" } });
}

export default function Keys() {
  const { keys, hubUrl, exampleModel } = useLoaderData<typeof loader>();
  const [creating, setCreating] = useState(false);
  const [pending, setPending] = useState<{ action: KeyAction; key: AccessKeySummary } | null>(null);
  const closeAction = useCallback(() => setPending(null), []);
  const createButton = (
    <button type="button" className="btn-primary" onClick={() => setCreating(true)}>
      Create key
    </button>
  );
  return (
    <>
      <PageHeader
        title="Access keys"
        description="Keys your apps use to call the hub. Each is shown once, when it is created."
        actions={keys.length ? createButton : undefined}
      />
      {keys.length ? (
        <KeyTable keys={keys} onAction={(action, key) => setPending({ action, key })} />
      ) : (
        <EmptyState title="No access keys yet" action={createButton}>
          Create a key for each app or tool, then call the OpenAI-compatible API at{" "}
          <code className="font-mono">{hubUrl}/api/v2</code> with it. Command-line tools can also ask for one themselves
          through the connect flow; you approve them in the browser.
        </EmptyState>
      )}
      <CreateKeyDialog open={creating} onOpenChange={setCreating} hubUrl={hubUrl} exampleModel={exampleModel} />
      <KeyActionDialog pending={pending} onClose={closeAction} hubUrl={hubUrl} exampleModel={exampleModel} />
    </>
  );
}
