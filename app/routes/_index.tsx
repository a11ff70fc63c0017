import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { getSession } from "@server/auth/session.server";

export async function loader({ request }: LoaderFunctionArgs) {
  return redirect((await getSession(request)) ? "/usage" : "/signin");
}
