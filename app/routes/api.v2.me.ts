import { handleMe } from "@server/auth/me.server";
import type { LoaderFunctionArgs } from "@remix-run/node";

export const loader = ({ request }: LoaderFunctionArgs) => handleMe(request);
