import { readinessResponse } from "@server/health.server";

export const loader = () => readinessResponse();
