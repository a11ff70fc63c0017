import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportSummaryResponse } from "@server/usage/usage-export.server";

export const loader = ({ request }: LoaderFunctionArgs) => exportSummaryResponse(request);
