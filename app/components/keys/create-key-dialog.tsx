import { useState } from "react";
import type { RevealedKey } from "@server/access-keys/keys-page.server";
import { CreateKeyForm } from "./create-key-form";
import { KeyReveal } from "./key-reveal";
import { Modal } from "../ui/modal";

/**
 * "Create key": the form, then the one-time reveal in the same dialog. Closing forgets the key. The page keeps one
 * instance mounted whatever the list shows, so the reveal survives the list refreshing from empty to one key.
 */
export function CreateKeyDialog({
  open,
  onOpenChange,
  hubUrl,
  exampleModel,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  hubUrl: string;
  exampleModel: string;
}) {
  const [revealed, setRevealed] = useState<RevealedKey | null>(null);
  const change = (next: boolean) => {
    if (!next) setRevealed(null);
    onOpenChange(next);
  };
  return (
    <Modal
      open={open}
      onOpenChange={change}
      size={revealed ? "lg" : "md"}
      title={revealed ? "Your new access key" : "Create an access key"}
      description={revealed ? undefined : "Apps use it to call the hub's OpenAI-compatible API as you."}
    >
      {revealed ? (
        <>
          <KeyReveal revealed={revealed} hubUrl={hubUrl} exampleModel={exampleModel} />
          <div className="mt-6 flex justify-end">
            <button type="button" className="btn-primary" onClick={() => change(false)}>
              Done
            </button>
          </div>
        </>
      ) : (
        <CreateKeyForm onCreated={setRevealed} />
      )}
    </Modal>
  );
}
