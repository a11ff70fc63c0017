import type { PlaygroundProvider } from "@server/playground/models.server";
import { ModelSelect } from "./model-select";

export interface ChatSettingsValue {
  model: string;
  systemPrompt: string;
  /** Form text: "" means "the model's default" and the parameter is left out of the request. */
  temperature: string;
  topP: string;
  maxTokens: string;
}

export const DEFAULT_SETTINGS: Omit<ChatSettingsValue, "model"> = {
  systemPrompt: "",
  temperature: "",
  topP: "",
  maxTokens: "",
};

/** The request parameters from the form; blank or unreadable fields are left to the model's defaults. */
export function toParams(s: ChatSettingsValue): { temperature?: number; top_p?: number; max_tokens?: number } {
  const num = (v: string, min: number, max: number) => {
    if (v.trim() === "") return undefined;
    const n = Number(v);
    return Number.isFinite(n) && n >= min && n <= max ? n : undefined;
  };
  const maxTokens = num(s.maxTokens, 1, 1_000_000);
  return {
    ...(num(s.temperature, 0, 2) !== undefined ? { temperature: num(s.temperature, 0, 2) } : {}),
    ...(num(s.topP, 0, 1) !== undefined ? { top_p: num(s.topP, 0, 1) } : {}),
    ...(maxTokens !== undefined ? { max_tokens: Math.floor(maxTokens) } : {}),
  };
}

export function ChatSettings({
  value,
  onChange,
  providers,
  disabled,
  showModel = true,
}: {
  value: ChatSettingsValue;
  onChange: (next: ChatSettingsValue) => void;
  providers: PlaygroundProvider[];
  disabled?: boolean;
  showModel?: boolean;
}) {
  const set = (patch: Partial<ChatSettingsValue>) => onChange({ ...value, ...patch });
  return (
    <fieldset className="space-y-4" disabled={disabled}>
      <legend className="sr-only">Chat settings</legend>
      {showModel ? (
        <ModelSelect
          id="chat-model"
          label="Model"
          providers={providers}
          type="chat"
          value={value.model}
          onChange={(model) => set({ model })}
        />
      ) : null}
      <div>
        <label htmlFor="system-prompt" className="field-label">
          System prompt
        </label>
        <textarea
          id="system-prompt"
          rows={3}
          className="field-input resize-y"
          placeholder="You are a helpful assistant."
          value={value.systemPrompt}
          onChange={(e) => set({ systemPrompt: e.target.value })}
        />
      </div>
      <div className="grid grid-cols-2 gap-3">
        <div>
          <label htmlFor="temperature" className="field-label">
            Temperature
          </label>
          <input
            id="temperature"
            type="number"
            inputMode="decimal"
            min={0}
            max={2}
            step={0.1}
            placeholder="default"
            className="field-input"
            value={value.temperature}
            onChange={(e) => set({ temperature: e.target.value })}
          />
        </div>
        <div>
          <label htmlFor="top-p" className="field-label">
            Top P
          </label>
          <input
            id="top-p"
            type="number"
            inputMode="decimal"
            min={0}
            max={1}
            step={0.05}
            placeholder="default"
            className="field-input"
            value={value.topP}
            onChange={(e) => set({ topP: e.target.value })}
          />
        </div>
        <div className="col-span-2">
          <label htmlFor="max-tokens" className="field-label">
            Max tokens
          </label>
          <input
            id="max-tokens"
            type="number"
            inputMode="numeric"
            min={1}
            step={1}
            placeholder="default"
            className="field-input"
            value={value.maxTokens}
            onChange={(e) => set({ maxTokens: e.target.value })}
          />
        </div>
      </div>
    </fieldset>
  );
}
