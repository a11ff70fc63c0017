import { useState } from "react";
import { Modal } from "~/components/ui/modal";
import { CodeTabs } from "~/components/keys/code-tabs";
import { requestSnippets, type SnippetRequest } from "./request-snippets";

/** "View code": the current request as curl, TypeScript, Python and @aigne/aigne-hub, against the public API. */
export function ViewCodeButton({ hubUrl, request }: { hubUrl: string; request: SnippetRequest | null }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="btn-secondary" onClick={() => setOpen(true)} disabled={!request}>
        View code
      </button>
      {request ? (
        <Modal
          open={open}
          onOpenChange={setOpen}
          title="View code"
          size="lg"
          description={
            <>
              This request as code for your app. Create an access key on the Keys page and set it as{" "}
              <code className="font-mono">$AI_HUB_KEY</code>.
            </>
          }
        >
          <CodeTabs tabs={requestSnippets(hubUrl, request)} label="Code samples" />
        </Modal>
      ) : null}
    </>
  );
}
