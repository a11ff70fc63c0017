import { handleMessages } from "@server/gateway/messages/messages.server";
import { methodNotAllowed } from "@server/gateway/messages/errors";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

export const action = ({ request }: ActionFunctionArgs) => handleMessages(request);
export const loader = ({ request }: LoaderFunctionArgs) => methodNotAllowed(request);
