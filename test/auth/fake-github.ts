/** GitHub's endpoints replayed from recorded responses; codes are single-use, as at GitHub. */
import { GITHUB_API_URL, GITHUB_TOKEN_URL } from "@server/auth/oauth/github.server";
import { githubBadCode, githubEmails, githubToken, githubUser } from "./recorded/github";
import { createFakeFetch, json } from "./fake-fetch";

// Module-wide, so each `as()` is a new GitHub account even across fakes in one test file.
let nextId = 1000;

export function createFakeGitHub() {
  const account = {
    user: { ...githubUser } as Record<string, unknown>,
    emails: githubEmails as Array<Record<string, unknown>>,
  };
  const usedCodes = new Set<string>();
  const authorized = (auth: string | null) => auth === `Bearer ${githubToken.access_token}`;
  const fake = createFakeFetch({
    [`POST ${GITHUB_TOKEN_URL}`]: (req) => {
      const code = new URLSearchParams(req.body).get("code") ?? "";
      if (usedCodes.has(code) || code === "bad") return json(githubBadCode);
      usedCodes.add(code);
      return json(githubToken);
    },
    [`GET ${GITHUB_API_URL}/user`]: (req) =>
      authorized(req.headers.get("authorization")) ? json(account.user) : json({ message: "Bad credentials" }, 401),
    [`GET ${GITHUB_API_URL}/user/emails`]: (req) =>
      authorized(req.headers.get("authorization")) ? json(account.emails) : json({ message: "Bad credentials" }, 401),
  });
  return {
    ...fake,
    account,
    /** Become another GitHub person with this primary email. */
    as(email: string, verified = true, name = "Octo Person") {
      account.user = { ...githubUser, id: nextId++, login: email.split("@")[0], name };
      account.emails = [{ email, primary: true, verified, visibility: "private" }];
    },
  };
}
