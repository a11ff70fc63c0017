import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "~/lib/trpc";
import { useAdmin } from "../admin-role";
import { errorInfo, type ErrorInfo } from "../errors";
import { TextAreaField, TextField } from "../../ui/fields";
import { useNotice } from "../notice";
import { Badge, Section } from "../ui";
import { useRefresh } from "../use-refresh";

/** Which proxies may tell the hub the client's address (X-Forwarded-For): the owner's call. */
export function TrustedProxies({ proxies }: { proxies: string[] }) {
  const trpc = useTRPC();
  const { role } = useAdmin();
  const save = useMutation(trpc.ipRules.setTrustedProxies.mutationOptions());
  const refresh = useRefresh();
  const notify = useNotice();
  const [error, setError] = useState<ErrorInfo | null>(null);
  const owner = role === "owner";

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    const list = String(new FormData(event.currentTarget).get("proxies") ?? "")
      .split(/[\s,]+/)
      .filter(Boolean);
    try {
      const result = await save.mutateAsync({ proxies: list });
      await refresh();
      notify(
        result.trustedProxies.length
          ? `Trusting ${result.trustedProxies.length} proxy ranges`
          : "X-Forwarded-For is now ignored",
      );
    } catch (e) {
      setError(errorInfo(e));
    }
  }

  return (
    <Section
      title="Trusted proxies"
      description="X-Forwarded-For is believed only when the connection comes from one of these; otherwise the rules see the connection's own address, whatever the header says."
    >
      <form onSubmit={submit} noValidate className="space-y-3">
        <TextAreaField
          key={proxies.join(",")}
          label="Proxy addresses or ranges, one per line"
          name="proxies"
          rows={3}
          defaultValue={proxies.join("\n")}
          placeholder={"10.0.0.0/8\n2001:db8:1::/48"}
          disabled={!owner}
          error={error?.fields.proxies ?? error?.message}
          hint={
            owner
              ? "Empty: the header is never believed (right when the hub faces the internet directly)."
              : "Only the owner can change this."
          }
        />
        {owner ? (
          <div className="flex justify-end">
            <button type="submit" className="btn-primary" disabled={save.isPending}>
              Save trusted proxies
            </button>
          </div>
        ) : null}
      </form>
    </Section>
  );
}

/** "Would a call from this address be let through?" against the stored rules. */
export function AddressCheck() {
  const trpc = useTRPC();
  const [ip, setIp] = useState("");
  const check = useQuery({ ...trpc.ipRules.check.queryOptions({ ip }), enabled: ip.length > 1 });
  return (
    <Section
      title="Check an address"
      description="How the rules treat a call from an address (without a key's own rules)."
    >
      <form
        className="flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          setIp(String(new FormData(e.currentTarget).get("ip") ?? "").trim());
        }}
      >
        <div className="min-w-[14rem] flex-1">
          <TextField label="Address" name="ip" placeholder="203.0.113.7" />
        </div>
        <button type="submit" className="btn-secondary">
          Check
        </button>
      </form>
      {check.data ? (
        <p role="status" className="mt-3 text-sm">
          {check.data.allowed ? <Badge tone="ok">Allowed</Badge> : <Badge tone="danger">Refused</Badge>}{" "}
          {check.data.reason === "denied"
            ? `by the deny rule ${check.data.rule?.cidr}`
            : check.data.reason === "not_in_allow_list"
              ? `: outside the allow list (${check.data.rule?.cidr}…)`
              : "No rule refuses it."}
        </p>
      ) : check.isError ? (
        <p className="mt-3 text-sm text-danger">{errorInfo(check.error).message}</p>
      ) : null}
    </Section>
  );
}

export function useIpRules() {
  const trpc = useTRPC();
  return useQuery(trpc.ipRules.list.queryOptions());
}
