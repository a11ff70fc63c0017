import { useEffect, useRef, useState } from "react";
import { errorInfo, type ErrorInfo } from "./errors";
import { Modal } from "../ui/modal";
import { useIsomorphicLayoutEffect } from "../ui/use-layout-effect";

/**
 * A dialog holding one form. `onSubmit` gets the form's data and calls the server; when it throws, the message
 * shows above the fields and each field's own message under it (the form keeps what was typed). On success the
 * dialog closes. Fields are uncontrolled and remount on each opening, so a reopened dialog starts fresh.
 */
export function FormDialog({
  open,
  onOpenChange,
  title,
  description,
  submitLabel,
  danger = false,
  size,
  onSubmit,
  children,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description?: React.ReactNode;
  submitLabel: string;
  danger?: boolean;
  size?: "md" | "lg" | "xl";
  onSubmit: (form: FormData) => Promise<unknown>;
  children: (errors: Record<string, string>) => React.ReactNode;
}) {
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (open) setError(null);
  }, [open]);
  // After a refusal, focus the first field marked invalid: it scrolls into view and is announced with its error.
  useEffect(() => {
    if (error) formRef.current?.querySelector<HTMLElement>("[aria-invalid=true]")?.focus();
  }, [error]);

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSubmit(new FormData(event.currentTarget));
      onOpenChange(false);
    } catch (e) {
      setError(errorInfo(e));
    } finally {
      setBusy(false);
    }
  }

  // When every field error is shown under its field, the banner only says where to look; when some error has
  // no field on screen, it repeats the server's sentence. Decided after rendering, by counting field messages.
  const keys = Object.keys(error?.fields ?? {});
  const [allShown, setAllShown] = useState(false);
  useIsomorphicLayoutEffect(() => {
    setAllShown(keys.length > 0 && (formRef.current?.querySelectorAll(".field-error").length ?? 0) >= keys.length);
  }, [error, keys.length]);
  const banner = !error ? null : allShown ? `Check the highlighted field${keys.length > 1 ? "s" : ""}.` : error.message;
  const body = children(error?.fields ?? {});

  return (
    <Modal open={open} onOpenChange={onOpenChange} title={title} description={description} size={size}>
      <form ref={formRef} onSubmit={submit} noValidate className="space-y-4">
        {banner ? (
          <p role="alert" className="rounded-lg bg-danger-soft px-3 py-2 text-sm text-danger">
            {banner}
          </p>
        ) : null}
        {body}
        <div className="flex justify-end gap-2 pt-2">
          <button type="button" className="btn-secondary" onClick={() => onOpenChange(false)}>
            Cancel
          </button>
          <button type="submit" className={danger ? "btn-danger" : "btn-primary"} disabled={busy}>
            {busy ? "Saving…" : submitLabel}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** "Delete provider openai?" with one button that does it. */
export function ConfirmDialog({
  open,
  onOpenChange,
  title,
  children,
  confirmLabel,
  onConfirm,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  children: React.ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<unknown>;
}) {
  return (
    <FormDialog
      open={open}
      onOpenChange={onOpenChange}
      title={title}
      submitLabel={confirmLabel}
      danger
      onSubmit={onConfirm}
    >
      {() => <div className="text-sm text-ink-muted">{children}</div>}
    </FormDialog>
  );
}

/** A form value as trimmed text ("" when absent). */
export const text = (form: FormData, name: string) => String(form.get(name) ?? "").trim();
/** A checkbox's state. */
export const checked = (form: FormData, name: string) => form.get(name) === "on";
