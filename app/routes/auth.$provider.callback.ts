import type { LoaderFunctionArgs } from "@remix-run/node";
import { finishSignIn } from "@server/auth/oauth/finish-sign-in.server";

export const loader = ({ request, params }: LoaderFunctionArgs) => finishSignIn(request, params.provider);
