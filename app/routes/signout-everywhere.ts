import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { signOutEverywhere } from "@server/auth/sign-out-everywhere.server";

export async function action({ request }: ActionFunctionArgs) {
  return redirect("/signin?signed_out=everywhere", { headers: { "Set-Cookie": await signOutEverywhere(request) } });
}

export const loader = () => redirect("/");
