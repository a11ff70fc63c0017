// The playground's images.generations: the browser session is the caller, through the same gateway path as apps (docs/decisions/006-playground.md).
import { handleImageGenerations } from "@server/gateway/images.server";
import { sessionPrincipal } from "@server/gateway/session-principal.server";
import type { ActionFunctionArgs } from "@remix-run/node";

export const action = ({ request }: ActionFunctionArgs) => handleImageGenerations(request, sessionPrincipal);
