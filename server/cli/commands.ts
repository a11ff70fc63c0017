/**
 * The operator CLI's commands. Each validates every argument before it writes anything, then calls the same
 * server function the admin console uses (so the same checks, transactions and audit entries apply).
 */
import { createAccessKey } from "../access-keys/manage.server";
import { createSetupLink } from "../auth/setup.server";
import { createUser, requireUserByEmail } from "../auth/users.server";
import { CLI_ACTOR } from "../audit/audit.server";
import { grantCredits } from "../billing/credits.server";
import { formatMicro, parseMicro } from "../billing/money";
import { addModel } from "../catalog/models.server";
import { addProvider } from "../catalog/providers.server";
import { PROVIDER_KINDS } from "../providers/registry";
import { ROLES, type Role } from "../../drizzle/schema";

export class UsageError extends Error {}

export interface Io {
  out(line: string): void;
  err(line: string): void;
}

type Options = Record<string, string | undefined>;

export interface Command {
  usage: string;
  options: Record<string, { required?: boolean; help: string }>;
  run(options: Options, io: Io): Promise<void>;
}

function micro(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = parseMicro(value);
  if (parsed === null || parsed < 0) throw new UsageError(`--${flag} must be a number such as 2.5`);
  return parsed;
}

export const COMMANDS: Record<string, Command> = {
  "users create": {
    usage: "users create --email E [--name N] [--role owner|admin|member]",
    options: {
      email: { required: true, help: "email address" },
      name: { help: "display name" },
      role: { help: "owner, admin or member (default member)" },
    },
    async run(o, io) {
      const role = (o.role ?? "member") as Role;
      if (!ROLES.includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(", ")}`);
      const user = await createUser({ email: o.email!, name: o.name, role }, CLI_ACTOR);
      io.out(`Created ${user.role} ${user.email} (${user.id})`);
    },
  },
  "keys create": {
    usage: "keys create --user E --name N [--app A]",
    options: {
      user: { required: true, help: "the owner's email" },
      name: { required: true, help: "key name" },
      app: { help: "app name" },
    },
    async run(o, io) {
      const user = await requireUserByEmail(o.user!);
      const { key, record } = await createAccessKey({ userId: user.id, name: o.name!, appName: o.app }, CLI_ACTOR);
      io.out(`Created access key "${record.name}" (${record.prefix}…) for ${user.email}. It is shown only once:`);
      io.out(key);
    },
  },
  "providers add": {
    usage: "providers add --kind K --name N [--base-url U] [--api-key S] [--weight W]",
    options: {
      kind: {
        required: true,
        help: PROVIDER_KINDS.join(", "),
      },
      name: { required: true, help: "the prefix of its model names" },
      "base-url": { help: "API base URL (self-hosted or proxy endpoints)" },
      "api-key": { help: "the provider key, sealed before it is stored" },
      weight: { help: "load-balancing weight of the credential (default 1)" },
    },
    async run(o, io) {
      const weight = o.weight === undefined ? undefined : Number(o.weight);
      if (weight !== undefined && !Number.isInteger(weight)) throw new UsageError("--weight must be a whole number");
      const { provider, credential } = await addProvider(
        { kind: o.kind!, name: o.name!, baseUrl: o["base-url"], apiKey: o["api-key"], weight },
        CLI_ACTOR,
      );
      io.out(
        `Added provider ${provider.name} (${provider.kind})${credential ? ` with credential ${credential.name}` : ""}`,
      );
    },
  },
  "models add": {
    usage:
      "models add --provider N --model M [--type chat|image|embedding] [--input-rate R] [--output-rate R] " +
      "[--cached-input-rate R] [--cache-write-rate R]",
    options: {
      provider: { required: true, help: "provider name" },
      model: { required: true, help: "the provider's model id" },
      type: { help: "chat (default), image or embedding" },
      "input-rate": { help: "USD per million input tokens, e.g. 0.15" },
      "output-rate": { help: "USD per million output tokens, e.g. 0.6" },
      "cached-input-rate": { help: "USD per million input tokens read from a prompt cache (default: the input rate)" },
      "cache-write-rate": { help: "USD per million input tokens written to a prompt cache (default: the input rate)" },
    },
    async run(o, io) {
      const inputPerMillion = micro(o["input-rate"], "input-rate");
      const outputPerMillion = micro(o["output-rate"], "output-rate");
      const model = await addModel(
        {
          provider: o.provider!,
          model: o.model!,
          type: o.type,
          inputPerMillion,
          outputPerMillion,
          // Absent means "bill at the input rate" (null), unlike input and output, where absent means 0.
          cachedInputPerMillion: micro(o["cached-input-rate"], "cached-input-rate") ?? null,
          cacheWritePerMillion: micro(o["cache-write-rate"], "cache-write-rate") ?? null,
        },
        CLI_ACTOR,
      );
      io.out(`Added model ${o.provider}/${model.model} (${model.type})`);
    },
  },
  "credits grant": {
    usage: "credits grant --user E --amount A [--reason R]",
    options: {
      user: { required: true, help: "the user's email" },
      amount: { required: true, help: "credits, e.g. 10 or 2.5" },
      reason: { help: "why" },
    },
    async run(o, io) {
      const amount = micro(o.amount, "amount");
      if (!amount) throw new UsageError("--amount must be a positive number such as 10 or 2.5");
      const user = await requireUserByEmail(o.user!);
      const balance = await grantCredits(user.id, amount, o.reason ?? "granted from the CLI", CLI_ACTOR);
      io.out(`Granted ${formatMicro(amount)} credits to ${user.email}; balance ${formatMicro(balance)}`);
    },
  },
  "setup-link": {
    usage: "setup-link",
    options: {},
    async run(_o, io) {
      io.out(await createSetupLink());
    },
  },
  "db migrate": {
    usage: "db migrate",
    options: {},
    async run(_o, io) {
      io.out("Migrations applied.");
    },
  },
};
