import { handleListInputItems } from "@server/gateway/responses/stored.server";
import type { LoaderFunctionArgs } from "@remix-run/node";

export const loader = ({ request }: LoaderFunctionArgs) => handleListInputItems(request);
