import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC, type RouterInputs } from "~/lib/trpc";
import { errorInfo, type ErrorInfo } from "../errors";
import { useNotice } from "../notice";
import { Section } from "../ui";
import { useRefresh } from "../use-refresh";

export type SettingsPatch = RouterInputs["settings"]["update"];

/**
 * One section of the Settings page as its own form: `read` turns the form into a patch (throwing FieldErrors
 * for what it cannot parse), the server validates it again, and errors land under their fields.
 */
export function SettingsSection({
  title,
  description,
  canEdit,
  read,
  children,
}: {
  title: string;
  description: string;
  canEdit: boolean;
  read: (form: FormData) => SettingsPatch;
  children: (errors: Record<string, string>) => React.ReactNode;
}) {
  const trpc = useTRPC();
  const update = useMutation(trpc.settings.update.mutationOptions());
  const refresh = useRefresh();
  const notify = useNotice();
  const [error, setError] = useState<ErrorInfo | null>(null);

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    try {
      await update.mutateAsync(read(new FormData(event.currentTarget)));
      await refresh();
      notify(`${title} saved`);
    } catch (e) {
      const info = errorInfo(e);
      setError(info);
      // Move to the first field marked invalid, so it is in view and announced.
      requestAnimationFrame(() =>
        (event.target as HTMLFormElement).querySelector<HTMLElement>("[aria-invalid=true]")?.focus(),
      );
    }
  }

  return (
    <Section title={title} description={description}>
      <form onSubmit={submit} noValidate aria-label={title}>
        <fieldset disabled={!canEdit} className="space-y-4">
          {error && !Object.keys(error.fields).length ? (
            <p role="alert" className="rounded-lg bg-danger-soft px-3 py-2 text-sm text-danger">
              {error.message}
            </p>
          ) : null}
          {children(error?.fields ?? {})}
          {canEdit ? (
            <div className="flex justify-end">
              <button type="submit" className="btn-primary" disabled={update.isPending}>
                Save {title.toLowerCase()}
              </button>
            </div>
          ) : null}
        </fieldset>
      </form>
    </Section>
  );
}
