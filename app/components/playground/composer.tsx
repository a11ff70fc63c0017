/** The prompt box: Enter sends, Shift+Enter starts a new line; while an answer streams, Stop replaces Send. */
export function Composer({
  value,
  onChange,
  onSend,
  onStop,
  running,
  disabled,
  label = "Message",
  id = "chat-prompt",
}: {
  value: string;
  onChange: (v: string) => void;
  onSend: () => void;
  onStop: () => void;
  running: boolean;
  disabled?: boolean;
  label?: string;
  id?: string;
}) {
  return (
    <form
      className="flex items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        onSend();
      }}
    >
      <div className="min-w-0 flex-1">
        <label htmlFor={id} className="sr-only">
          {label}
        </label>
        <textarea
          id={id}
          rows={2}
          className="field-input resize-y"
          placeholder="Ask something… (Enter to send, Shift+Enter for a new line)"
          value={value}
          disabled={disabled}
          onChange={(e) => onChange(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              if (!running) onSend();
            }
          }}
        />
      </div>
      {running ? (
        <button type="button" className="btn-danger" onClick={onStop}>
          Stop
        </button>
      ) : (
        <button type="submit" className="btn-primary" disabled={disabled || !value.trim()}>
          Send
        </button>
      )}
    </form>
  );
}
