import { handleAigneModels } from "@server/gateway/discovery.server";
import type { LoaderFunctionArgs } from "@remix-run/node";

export const loader = ({ request }: LoaderFunctionArgs) => handleAigneModels(request);
