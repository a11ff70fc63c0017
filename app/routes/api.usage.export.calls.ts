import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportCallsResponse } from "@server/usage/usage-export.server";

export const loader = ({ request }: LoaderFunctionArgs) => exportCallsResponse(request);
