import { handleCountTokens } from "@server/gateway/messages/count-tokens.server";
import type { ActionFunctionArgs } from "@remix-run/node";

export const action = ({ request }: ActionFunctionArgs) => handleCountTokens(request);
