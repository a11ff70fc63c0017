import { handleEmbeddings } from "@server/gateway/embeddings.server";
import type { ActionFunctionArgs } from "@remix-run/node";

export const action = ({ request }: ActionFunctionArgs) => handleEmbeddings(request);
