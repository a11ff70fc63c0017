/**
 * Form fields with a label, a hint, and the server's error under the field (linked by aria-describedby and
 * marked aria-invalid, so screen readers announce it with the field).
 */
import { useId } from "react";

interface Common {
  label: string;
  name: string;
  error?: string;
  hint?: React.ReactNode;
}

function Frame({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  hint?: React.ReactNode;
  error?: string;
  children: React.ReactNode;
}) {
  return (
    <div>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {children}
      {error ? (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-ink-faint">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

const aria = (id: string, error?: string, hint?: React.ReactNode) => ({
  "aria-invalid": error ? true : undefined,
  "aria-describedby": error ? `${id}-error` : hint ? `${id}-hint` : undefined,
});

export function TextField({
  label,
  name,
  error,
  hint,
  ...input
}: Common & Omit<React.InputHTMLAttributes<HTMLInputElement>, "name">) {
  const id = useId();
  return (
    <Frame id={id} label={label} hint={hint} error={error}>
      <input id={id} name={name} className="field-input" autoComplete="off" {...aria(id, error, hint)} {...input} />
    </Frame>
  );
}

export function TextAreaField({
  label,
  name,
  error,
  hint,
  ...input
}: Common & Omit<React.TextareaHTMLAttributes<HTMLTextAreaElement>, "name">) {
  const id = useId();
  return (
    <Frame id={id} label={label} hint={hint} error={error}>
      <textarea id={id} name={name} className="field-input font-mono" rows={3} {...aria(id, error, hint)} {...input} />
    </Frame>
  );
}

export function SelectField({
  label,
  name,
  error,
  hint,
  options,
  ...select
}: Common & { options: Array<{ value: string; label: string }> } & Omit<
    React.SelectHTMLAttributes<HTMLSelectElement>,
    "name"
  >) {
  const id = useId();
  return (
    <Frame id={id} label={label} hint={hint} error={error}>
      <select id={id} name={name} className="field-input" {...aria(id, error, hint)} {...select}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Frame>
  );
}

export function CheckboxField({
  label,
  name,
  error,
  hint,
  ...input
}: Common & Omit<React.InputHTMLAttributes<HTMLInputElement>, "name" | "type">) {
  const id = useId();
  return (
    <div>
      <div className="flex items-start gap-2">
        <input
          id={id}
          name={name}
          type="checkbox"
          className="mt-0.5 h-4 w-4 rounded border-line-strong accent-brand-600"
          {...aria(id, error, hint)}
          {...input}
        />
        <label htmlFor={id} className="text-sm font-medium text-ink">
          {label}
        </label>
      </div>
      {error ? (
        <p id={`${id}-error`} className="field-error ml-6">
          {error}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="ml-6 mt-0.5 text-xs text-ink-faint">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
