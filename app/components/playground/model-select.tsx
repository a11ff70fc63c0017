import type { ModelType, PlaygroundProvider } from "@server/playground/models.server";
import { rateText } from "./format";

/** The models of one type the person may use, grouped by provider, each with its rate. */
export function ModelSelect({
  id,
  label,
  providers,
  type,
  value,
  onChange,
  disabled,
}: {
  id: string;
  label: string;
  providers: PlaygroundProvider[];
  type: ModelType;
  value: string;
  onChange: (model: string) => void;
  disabled?: boolean;
}) {
  const selected = providers.flatMap((p) => p.models).find((m) => m.id === value);
  const groups = providers
    .map((p) => ({ ...p, models: p.models.filter((m) => m.type === type) }))
    .filter((p) => p.models.length);
  return (
    <div>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <select
        id={id}
        className="field-input"
        aria-describedby={`${id}-rate`}
        title={selected ? `${selected.model} — ${rateText(selected)}` : undefined}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        disabled={disabled || groups.length === 0}
      >
        {groups.length === 0 ? <option value="">No {type} models</option> : null}
        {groups.map((g) => (
          <optgroup key={g.name} label={g.displayName}>
            {g.models.map((m) => (
              <option key={m.id} value={m.id} title={`${m.model} — ${rateText(m)}`}>
                {m.model}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      {/* The menu names the model alone, so it fits a narrow column whole; its rate is said here, in full. */}
      <p id={`${id}-rate`} className="mt-1 break-words text-xs text-ink-faint">
        {selected ? rateText(selected) : ""}
      </p>
    </div>
  );
}

export function firstModel(providers: PlaygroundProvider[], type: ModelType): string {
  for (const p of providers) for (const m of p.models) if (m.type === type) return m.id;
  return "";
}
