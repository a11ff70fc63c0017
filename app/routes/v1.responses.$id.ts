import { handleDeleteResponse, handleGetResponse } from "@server/gateway/responses/stored.server";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

export const loader = ({ request }: LoaderFunctionArgs) => handleGetResponse(request);
export const action = ({ request }: ActionFunctionArgs) => handleDeleteResponse(request);
