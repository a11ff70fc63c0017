import { useCallback, useEffect, useState } from "react";
import * as Dialog from "@radix-ui/react-dialog";
import { useFetcher } from "@remix-run/react";
import type { AccessKeySummary } from "@server/access-keys/owner-list.server";
import type { KeysActionResult, RevealedKey } from "@server/access-keys/keys-page.server";
import { KeyReveal } from "./key-reveal";
import { Modal } from "../ui/modal";

export type KeyAction = "revoke" | "rotate";

const COPY: Record<KeyAction, { title: string; confirm: string; busy: string; body: (k: AccessKeySummary) => string }> =
  {
    revoke: {
      title: "Revoke this key?",
      confirm: "Revoke key",
      busy: "Revoking…",
      body: (k) => `Apps using “${k.name}” (${k.prefix}…) are refused from their next request. This cannot be undone.`,
    },
    rotate: {
      title: "Rotate this key?",
      confirm: "Rotate key",
      busy: "Rotating…",
      body: (k) =>
        `A new key with the same name, app, expiry, models and limits replaces “${k.name}” (${k.prefix}…). The old key stops working at once: update your apps with the new one.`,
    },
  };

function Confirm({
  action,
  target,
  onRotated,
  onDone,
}: {
  action: KeyAction;
  target: AccessKeySummary;
  onRotated: (r: RevealedKey) => void;
  onDone: () => void;
}) {
  const fetcher = useFetcher<KeysActionResult>();
  const busy = fetcher.state !== "idle";
  const error = fetcher.data?.ok === false ? fetcher.data.formError : null;
  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data?.ok) return;
    if (fetcher.data.intent === "rotate") onRotated(fetcher.data.revealed);
    else onDone();
  }, [fetcher.state, fetcher.data, onRotated, onDone]);
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="intent" value={action} />
      <input type="hidden" name="keyId" value={target.id} />
      {error ? (
        <p role="alert" className="mb-4 rounded-lg bg-danger-soft px-3 py-2 text-sm text-danger">
          {error}
        </p>
      ) : null}
      <div className="flex justify-end gap-2">
        <Dialog.Close className="btn-secondary" type="button">
          Cancel
        </Dialog.Close>
        <button type="submit" className={action === "revoke" ? "btn-danger" : "btn-primary"} disabled={busy}>
          {busy ? COPY[action].busy : COPY[action].confirm}
        </button>
      </div>
    </fetcher.Form>
  );
}

/** Revoke or rotate, confirmed first; a rotation ends in the one-time reveal of the new key. */
export function KeyActionDialog({
  pending,
  onClose,
  hubUrl,
  exampleModel,
}: {
  pending: { action: KeyAction; key: AccessKeySummary } | null;
  onClose: () => void;
  hubUrl: string;
  exampleModel: string;
}) {
  const [revealed, setRevealed] = useState<RevealedKey | null>(null);
  const close = useCallback(() => {
    setRevealed(null);
    onClose();
  }, [onClose]);
  const copy = pending ? COPY[pending.action] : null;
  return (
    <Modal
      open={pending !== null}
      onOpenChange={(open) => (open ? undefined : close())}
      size={revealed ? "lg" : "md"}
      title={revealed ? "Your new access key" : (copy?.title ?? "")}
      description={revealed || !pending ? undefined : copy!.body(pending.key)}
    >
      {revealed ? (
        <>
          <KeyReveal revealed={revealed} hubUrl={hubUrl} exampleModel={exampleModel} />
          <div className="mt-6 flex justify-end">
            <button type="button" className="btn-primary" onClick={close}>
              Done
            </button>
          </div>
        </>
      ) : pending ? (
        <Confirm action={pending.action} target={pending.key} onRotated={setRevealed} onDone={close} />
      ) : null}
    </Modal>
  );
}
