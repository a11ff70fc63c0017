/**
 * GitHub's answers, as recorded from https://github.com/login/oauth/access_token and https://api.github.com
 * (shapes as documented at docs.github.com, REST API 2022-11-28; personal values replaced).
 */

/** POST /login/oauth/access_token with Accept: application/json. */
export const githubToken = {
  access_token: "gho_16C7e42F292c6912E7710c838347Ae178B4a",
  token_type: "bearer",
  scope: "read:user,user:email",
};

/** A used or wrong code: GitHub answers 200 with an error body. */
export const githubBadCode = {
  error: "bad_verification_code",
  error_description: "The code passed is incorrect or expired.",
  error_uri:
    "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/#bad-verification-code",
};

/** GET /user */
export const githubUser = {
  login: "octocat",
  id: 583231,
  node_id: "MDQ6VXNlcjU4MzIzMQ==",
  avatar_url: "https://avatars.githubusercontent.com/u/583231?v=4",
  gravatar_id: "",
  url: "https://api.github.com/users/octocat",
  html_url: "https://github.com/octocat",
  type: "User",
  site_admin: false,
  name: "The Octocat",
  company: "@github",
  blog: "https://github.blog",
  location: "San Francisco",
  // The public profile email: not necessarily verified, so the hub ignores it.
  email: "octocat@users.noreply.github.com",
  hireable: null,
  bio: null,
  twitter_username: null,
  public_repos: 8,
  public_gists: 8,
  followers: 17000,
  following: 9,
  created_at: "2011-01-25T18:44:36Z",
  updated_at: "2025-01-22T12:19:06Z",
};

/** GET /user/emails */
export const githubEmails = [
  { email: "octocat@github.com", primary: true, verified: true, visibility: "public" },
  { email: "octocat@users.noreply.github.com", primary: false, verified: true, visibility: null },
];

export const githubEmailsUnverified = [
  { email: "octocat@github.com", primary: true, verified: false, visibility: "private" },
];
