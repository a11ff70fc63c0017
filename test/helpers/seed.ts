/** Seed data for gateway tests: a user with an access key, and providers pointing at fake upstreams. */
import { createAccessKey } from "@server/access-keys/manage.server";
import { createUser } from "@server/auth/users.server";
import { CLI_ACTOR } from "@server/audit/audit.server";
import { publish } from "@server/cache/invalidation.server";
import { addModel } from "@server/catalog/models.server";
import { addProvider, type NewProvider } from "@server/catalog/providers.server";

export async function seedUserWithKey(
  email = "dev@example.com",
  options: { allowedModels?: string[]; appName?: string } = {},
) {
  const user = await createUser({ email, name: "Dev" }, CLI_ACTOR);
  const { key, record } = await createAccessKey(
    { userId: user.id, name: "test", appName: options.appName, allowedModels: options.allowedModels },
    CLI_ACTOR,
  );
  return { user, key, keyRecord: record };
}

export async function seedProvider(
  input: NewProvider,
  models: Array<{ model: string; type?: string; input?: number; output?: number }> = [],
) {
  const result = await addProvider(input, CLI_ACTOR);
  for (const m of models) {
    await addModel(
      { provider: input.name, model: m.model, type: m.type, inputPerMillion: m.input, outputPerMillion: m.output },
      CLI_ACTOR,
    );
  }
  publish("catalog");
  return result;
}
