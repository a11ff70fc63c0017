import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC, type RouterOutputs } from "~/lib/trpc";
import { TextField } from "../../ui/fields";
import { ConfirmDialog, FormDialog, text } from "../form-dialog";
import { useNotice } from "../notice";
import { Badge, Section, SmallButton } from "../ui";
import { useRefresh } from "../use-refresh";

type AdminSettings = RouterOutputs["settings"]["get"];
type OAuthId = "github" | "google" | "oidc";
const NAMES: Record<OAuthId, string> = { github: "GitHub", google: "Google", oidc: "OpenID Connect" };

/** Sign-in providers: set in the environment (read-only here) or configured by the owner, secret sealed. */
export function OAuthClients({ settings, canEdit }: { settings: AdminSettings; canEdit: boolean }) {
  const trpc = useTRPC();
  const save = useMutation(trpc.settings.setOAuthClient.mutationOptions());
  const remove = useMutation(trpc.settings.removeOAuthClient.mutationOptions());
  const refresh = useRefresh();
  const notify = useNotice();
  const [editing, setEditing] = useState<OAuthId | null>(null);
  const [removing, setRemoving] = useState<OAuthId | null>(null);
  const configured = (id: OAuthId) => settings.oauthClients.find((c) => c.id === id) ?? null;
  const current = editing ? configured(editing) : null;
  return (
    <Section
      title="Sign-in providers"
      description="OAuth apps people sign in with. Environment variables, when set, take precedence over what is configured here."
    >
      <ul className="divide-y divide-line rounded-lg border border-line">
        {(["github", "google", "oidc"] as const).map((id) => {
          const client = configured(id);
          const fromEnv = settings.envOAuth.includes(id);
          return (
            <li key={id} className="flex flex-wrap items-center justify-between gap-3 px-4 py-3">
              <div className="min-w-0">
                <p className="text-sm font-medium text-ink">
                  {id === "oidc" && client?.name ? client.name : NAMES[id]}{" "}
                  {fromEnv ? (
                    <Badge tone="brand">From environment</Badge>
                  ) : client ? (
                    <Badge tone="ok">Configured</Badge>
                  ) : (
                    <Badge>Not set up</Badge>
                  )}
                </p>
                {client ? (
                  <p className="truncate text-xs text-ink-muted">
                    Client {client.clientId} · secret <span className="font-mono">{client.secretPreview}</span>
                    {client.issuer ? ` · ${client.issuer}` : ""}
                  </p>
                ) : null}
                <p className="truncate text-xs text-ink-faint">
                  Redirect URI: <span className="font-mono">{settings.callbackUrls[id]}</span>
                </p>
              </div>
              {canEdit && !fromEnv ? (
                <div className="flex gap-1.5">
                  <SmallButton onClick={() => setEditing(id)} aria-label={`Configure ${NAMES[id]}`}>
                    {client ? "Edit" : "Set up"}
                  </SmallButton>
                  {client ? (
                    <SmallButton danger onClick={() => setRemoving(id)} aria-label={`Remove ${NAMES[id]}`}>
                      Remove
                    </SmallButton>
                  ) : null}
                </div>
              ) : null}
            </li>
          );
        })}
      </ul>
      <FormDialog
        open={editing !== null}
        onOpenChange={(open) => !open && setEditing(null)}
        title={`${current ? "Edit" : "Set up"} ${editing ? NAMES[editing] : ""} sign-in`}
        description={
          editing ? (
            <>
              Register <span className="font-mono">{settings.callbackUrls[editing]}</span> as the redirect URI at the
              provider.
            </>
          ) : undefined
        }
        submitLabel="Save"
        onSubmit={async (form) => {
          await save.mutateAsync({
            id: editing!,
            clientId: text(form, "clientId"),
            clientSecret: text(form, "clientSecret") || null,
            issuer: text(form, "issuer") || null,
            name: text(form, "name") || null,
          });
          await refresh();
          notify(`${NAMES[editing!]} sign-in saved`);
        }}
      >
        {(errors) => (
          <>
            <TextField
              label="Client ID"
              name="clientId"
              defaultValue={current?.clientId ?? ""}
              required
              error={errors.clientId}
            />
            <TextField
              label={current ? "New client secret (optional)" : "Client secret"}
              name="clientSecret"
              type="password"
              autoComplete="new-password"
              placeholder={current ? `Stored secret ${current.secretPreview}` : undefined}
              error={errors.clientSecret}
              hint={current ? "Leave empty to keep the stored secret." : "Encrypted before it is stored."}
            />
            {editing === "oidc" || editing === "google" ? (
              <TextField
                label={editing === "oidc" ? "Issuer URL" : "Issuer URL (optional)"}
                name="issuer"
                type="url"
                defaultValue={current?.issuer ?? ""}
                placeholder={editing === "google" ? "https://accounts.google.com" : "https://login.example.com"}
                error={errors.issuer}
              />
            ) : null}
            {editing === "oidc" ? (
              <TextField
                label="Button label (optional)"
                name="name"
                defaultValue={current?.name ?? ""}
                placeholder="Single sign-on"
                error={errors.name}
              />
            ) : null}
          </>
        )}
      </FormDialog>
      <ConfirmDialog
        open={removing !== null}
        onOpenChange={(open) => !open && setRemoving(null)}
        title={`Remove ${removing ? NAMES[removing] : ""} sign-in?`}
        confirmLabel="Remove"
        onConfirm={async () => {
          await remove.mutateAsync({ id: removing! });
          await refresh();
          notify(`${NAMES[removing!]} sign-in removed`);
        }}
      >
        Its button leaves the sign-in page. Accounts stay; people who signed in only this way need another way in.
      </ConfirmDialog>
    </Section>
  );
}
