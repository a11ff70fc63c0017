import type { LoaderFunctionArgs } from "@remix-run/node";
import { handleMetrics } from "@server/usage/metrics.server";

export const loader = ({ request }: LoaderFunctionArgs) => handleMetrics(request);
