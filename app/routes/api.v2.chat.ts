import { handleAigneChat } from "@server/gateway/aigne-chat.server";
import type { ActionFunctionArgs } from "@remix-run/node";

export const action = ({ request }: ActionFunctionArgs) => handleAigneChat(request);
