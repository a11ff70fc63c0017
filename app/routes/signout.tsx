import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { signOut } from "@server/auth/sign-out.server";

export async function action({ request }: ActionFunctionArgs) {
  const setCookie = await signOut(request);
  return redirect("/signin", { headers: { "Set-Cookie": setCookie } });
}

export const loader = () => redirect("/");
