/**
 * How to serve the model names agent clients send. Claude Code asks for Anthropic ids (a Sonnet or Opus id for the
 * conversation, a Haiku id for background work) and Codex CLI for whatever its config's `model` says; an alias with
 * that exact name sends them to any configured model (docs/api-contracts.md).
 */
const code = "rounded bg-surface-sunken px-1 font-mono text-xs";

export function AgentAliasHelp() {
  return (
    <section className="card mb-4 p-4 text-sm text-ink-muted" aria-labelledby="agent-alias-help">
      <h2 id="agent-alias-help" className="mb-1 font-medium text-ink">
        Model names of Claude Code and Codex CLI
      </h2>
      <p>
        Claude Code asks for Anthropic model names, such as <code className={code}>claude-sonnet-4-5</code> for the
        conversation and a Haiku name such as <code className={code}>claude-haiku-4-5</code> for background work; Codex
        CLI sends the <code className={code}>model</code> of its config as it is. To serve such a name with any model
        here, edit that model and add the name as an alias: for example the aliases{" "}
        <code className={code}>claude-sonnet-4-5, claude-haiku-4-5</code> on{" "}
        <code className={code}>openai/gpt-4o-mini</code>. Or set Claude Code&apos;s{" "}
        <code className={code}>ANTHROPIC_MODEL</code> and <code className={code}>ANTHROPIC_DEFAULT_*_MODEL</code>{" "}
        variables to names the hub already has.
      </p>
    </section>
  );
}
