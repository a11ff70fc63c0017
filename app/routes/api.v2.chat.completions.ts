import { handleChatCompletions } from "@server/gateway/chat/chat-completions.server";
import type { ActionFunctionArgs } from "@remix-run/node";

export const action = ({ request }: ActionFunctionArgs) => handleChatCompletions(request);
