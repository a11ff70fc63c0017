// The playground's chat.completions: the browser session is the caller, through the same gateway path as apps (docs/decisions/006-playground.md).
import { handleChatCompletions } from "@server/gateway/chat/chat-completions.server";
import { sessionPrincipal } from "@server/gateway/session-principal.server";
import type { ActionFunctionArgs } from "@remix-run/node";

export const action = ({ request }: ActionFunctionArgs) => handleChatCompletions(request, sessionPrincipal);
