import { handleCountTokens } from "@server/gateway/messages/count-tokens.server";
import { methodNotAllowed } from "@server/gateway/messages/errors";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

export const action = ({ request }: ActionFunctionArgs) => handleCountTokens(request);
export const loader = ({ request }: LoaderFunctionArgs) => methodNotAllowed(request);
