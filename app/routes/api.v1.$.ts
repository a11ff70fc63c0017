// Any other path under this API prefix, any method: a JSON 404 in OpenAI's error shape rather than the HTML page.
import { unknownOpenAIPath } from "@server/gateway/unknown-path";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

export const loader = ({ request }: LoaderFunctionArgs) => unknownOpenAIPath(request);
export const action = ({ request }: ActionFunctionArgs) => unknownOpenAIPath(request);
