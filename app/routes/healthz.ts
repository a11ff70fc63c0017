import { healthResponse } from "@server/health.server";

export const loader = () => healthResponse();
