import { handleImageGenerations } from "@server/gateway/images.server";
import type { ActionFunctionArgs } from "@remix-run/node";

export const action = ({ request }: ActionFunctionArgs) => handleImageGenerations(request);
