// The playground's embeddings: the browser session is the caller, through the same gateway path as apps (docs/decisions/006-playground.md).
import { handleEmbeddings } from "@server/gateway/embeddings.server";
import { sessionPrincipal } from "@server/gateway/session-principal.server";
import type { ActionFunctionArgs } from "@remix-run/node";

export const action = ({ request }: ActionFunctionArgs) => handleEmbeddings(request, sessionPrincipal);
