import { handleMessages } from "@server/gateway/messages/messages.server";
import type { ActionFunctionArgs } from "@remix-run/node";

export const action = ({ request }: ActionFunctionArgs) => handleMessages(request);
