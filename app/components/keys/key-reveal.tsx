import type { RevealedKey } from "@server/access-keys/keys-page.server";
import { CodeTabs } from "./code-tabs";
import { CopyButton } from "./copy-button";
import { claudeCodeSnippet, codexSnippet, curlSnippet, nodeSnippet, pythonSnippet } from "./snippets";

/**
 * The one time a key is shown. It lives only in this component's props (the action's answer to its creator);
 * closing the dialog drops it, and no loader ever sends it again.
 */
export function KeyReveal({
  revealed,
  hubUrl,
  exampleModel,
}: {
  revealed: RevealedKey;
  hubUrl: string;
  exampleModel: string;
}) {
  const input = { hubUrl, apiKey: revealed.key, model: revealed.allowedModels?.[0] ?? exampleModel };
  return (
    <div className="space-y-5">
      <div role="status" className="rounded-lg bg-warn-soft px-3 py-2 text-sm text-warn">
        Copy this key now. It is shown only once; the hub keeps just a fingerprint of it.
      </div>
      <div>
        <label htmlFor="revealed-key" className="field-label">
          Access key <span className="font-normal text-ink-faint">· {revealed.name}</span>
        </label>
        <div className="flex gap-2">
          <input
            id="revealed-key"
            readOnly
            value={revealed.key}
            onFocus={(e) => e.currentTarget.select()}
            className="field-input font-mono text-xs"
            spellCheck={false}
            data-testid="revealed-key"
          />
          <CopyButton text={revealed.key} className="btn-primary shrink-0 px-3" />
        </div>
      </div>
      <div>
        <p className="field-label">Try it</p>
        <p className="mb-2 text-sm text-ink-muted">
          Base URL <code className="rounded bg-surface-sunken px-1 font-mono text-xs">{hubUrl}/api/v2</code>: any OpenAI
          SDK works with it.
        </p>
        <CodeTabs
          label="Code examples"
          tabs={[
            { id: "curl", label: "curl", code: curlSnippet(input) },
            { id: "node", label: "Node.js", code: nodeSnippet(input) },
            { id: "python", label: "Python", code: pythonSnippet(input) },
            { id: "claude-code", label: "Claude Code", code: claudeCodeSnippet(input) },
            { id: "codex", label: "Codex CLI", code: codexSnippet(input) },
          ]}
        />
      </div>
    </div>
  );
}
