import type { LoaderFunctionArgs } from "@remix-run/node";
import { startSignIn } from "@server/auth/oauth/start-sign-in.server";

export const loader = ({ request, params }: LoaderFunctionArgs) => startSignIn(request, params.provider);
