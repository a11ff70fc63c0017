/**
 * The owner's sign-in policy applied at first sign-in (GitHub, recorded responses): invite only lets in only
 * people who already have an account; "domains" creates accounts only for the listed email domains. Refusals
 * are audited with the email and IP; people who already have an account are not affected.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { users } from "@drizzle/schema";
import { CLI_ACTOR } from "@server/audit/audit.server";
import { getBalanceMicro } from "@server/billing/credits.server";
import { createUser } from "@server/auth/users.server";
import { getDb } from "@server/db/client.server";
import { createTempHub, type TempHub } from "../helpers/temp-db";
import { createFakeGitHub } from "./fake-github";
import { auditRows, CLIENT_IP, signIn } from "./oauth-harness";
import { setSettings } from "./settings-helper";

let hub: TempHub;
let github: ReturnType<typeof createFakeGitHub>;
let codes = 0;
const code = () => `policy-code-${++codes}`;

beforeAll(async () => {
  hub = await createTempHub({ GITHUB_CLIENT_ID: "Iv1.policy", GITHUB_CLIENT_SECRET: "policy-secret" });
});
afterAll(async () => hub.cleanup());
beforeEach(() => {
  github = createFakeGitHub();
});

const userCount = async (email: string) =>
  (await (await getDb()).select().from(users).where(eq(users.email, email))).length;

describe("invite only", () => {
  it("refuses a new person and lets an invited one in (linked by verified email, welcome credit once)", async () => {
    await setSettings({ signInPolicy: "invite_only", newUserGrantMicro: 2_000_000 });
    github.as("stranger@example.com");
    const refused = await signIn("github", github.fetch, code());
    expect(refused.location).toBe("/signin?error=invite_only");
    expect(await userCount("stranger@example.com")).toBe(0);
    const [failed] = await auditRows("auth.sign_in_failed");
    expect(failed).toMatchObject({
      actorLabel: "stranger@example.com",
      ip: CLIENT_IP,
      after: { reason: "invite_only" },
    });

    const invited = await createUser({ email: "invited@example.com", name: "Invited" }, CLI_ACTOR);
    github.as("invited@example.com");
    const admitted = await signIn("github", github.fetch, code());
    expect(admitted.location).toBe("/usage");
    expect((await auditRows("auth.sign_in"))[0]).toMatchObject({
      actorId: invited.id,
      after: { method: "verified_email", grantedMicro: 2_000_000 },
    });
    await signIn("github", github.fetch, code());
    expect(await getBalanceMicro(invited.id)).toBe(2_000_000);
  });
});

describe("allowed email domains", () => {
  it("creates accounts only for the listed domains, and keeps existing users signing in", async () => {
    await setSettings({ signInPolicy: "domains", allowedEmailDomains: ["example.com"], newUserGrantMicro: 0 });
    github.as("ada@example.com");
    expect((await signIn("github", github.fetch, code())).location).toBe("/usage");
    expect(await userCount("ada@example.com")).toBe(1);

    github.as("eve@evil-example.com");
    expect((await signIn("github", github.fetch, code())).location).toBe("/signin?error=domain_not_allowed");
    expect(await userCount("eve@evil-example.com")).toBe(0);
    expect((await auditRows("auth.sign_in_failed"))[0]).toMatchObject({
      actorLabel: "eve@evil-example.com",
      after: { reason: "domain_not_allowed" },
    });

    // An account made before the policy (or by an admin) is not locked out by it.
    await createUser({ email: "contractor@elsewhere.org", name: "Contractor" }, CLI_ACTOR);
    github.as("contractor@elsewhere.org");
    expect((await signIn("github", github.fetch, code())).location).toBe("/usage");
  });

  it("never lets an unverified email use an allowed domain", async () => {
    await setSettings({ signInPolicy: "domains", allowedEmailDomains: ["example.com"] });
    github.as("claims-to-be@example.com", false);
    expect((await signIn("github", github.fetch, code())).location).toBe("/signin?error=email_unverified");
  });
});
