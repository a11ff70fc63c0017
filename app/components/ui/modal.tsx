import * as Dialog from "@radix-ui/react-dialog";
import { useRef } from "react";
import { useIsomorphicLayoutEffect } from "./use-layout-effect";

/**
 * The app's dialog frame on Radix Dialog: focus is trapped and returned to the opener, Escape and the close
 * button dismiss, title and description are announced. `size` widens it for tables and JSON.
 */
export function Modal({
  open,
  onOpenChange,
  title,
  description,
  size = "md",
  children,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description?: React.ReactNode;
  size?: "md" | "lg" | "xl";
  children: React.ReactNode;
}) {
  // Radix returns focus to a Dialog.Trigger; these dialogs are opened from page buttons, so remember the opener.
  const opener = useRef<HTMLElement | null>(null);
  useIsomorphicLayoutEffect(() => {
    if (open) opener.current = document.activeElement as HTMLElement | null;
  }, [open]);
  const width = size === "xl" ? "max-w-4xl" : size === "lg" ? "max-w-2xl" : "max-w-lg";
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-ink/40" />
        <Dialog.Content
          className={`card fixed left-1/2 top-1/2 z-50 max-h-[90vh] w-[calc(100vw-2rem)] -translate-x-1/2 -translate-y-1/2 overflow-y-auto p-6 focus:outline-none ${width}`}
          {...(description ? {} : { "aria-describedby": undefined })}
          // Start in the first field rather than on the close button; a confirmation starts on "Cancel".
          onCloseAutoFocus={(event) => {
            if (opener.current?.isConnected) {
              event.preventDefault();
              opener.current.focus();
            }
          }}
          onOpenAutoFocus={(event) => {
            const root = event.currentTarget as HTMLElement;
            const first = root.querySelector<HTMLElement>(
              "form input:not([type=hidden]), form select, form textarea, form button",
            );
            if (first) {
              event.preventDefault();
              first.focus();
            }
          }}
        >
          <div className="mb-5 flex items-start justify-between gap-4">
            <div>
              <Dialog.Title className="text-lg font-semibold text-ink">{title}</Dialog.Title>
              {description ? (
                <Dialog.Description className="mt-1 text-sm text-ink-muted">{description}</Dialog.Description>
              ) : null}
            </div>
            <Dialog.Close
              className="rounded-md p-1 text-ink-faint hover:bg-surface-sunken hover:text-ink"
              aria-label="Close"
            >
              <svg
                viewBox="0 0 20 20"
                className="h-5 w-5"
                fill="none"
                stroke="currentColor"
                strokeWidth="1.8"
                aria-hidden="true"
              >
                <path d="M5 5l10 10M15 5 5 15" strokeLinecap="round" />
              </svg>
            </Dialog.Close>
          </div>
          {children}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
