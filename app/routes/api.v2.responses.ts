import { handleResponses } from "@server/gateway/responses/handler.server";
import type { ActionFunctionArgs } from "@remix-run/node";

export const action = ({ request }: ActionFunctionArgs) => handleResponses(request);
