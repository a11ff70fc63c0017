// Any other path under the Messages API, any method: a JSON 404 in Anthropic's error shape, which Claude Code reads.
import { unknownAnthropicPath } from "@server/gateway/unknown-path";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

export const loader = ({ request }: LoaderFunctionArgs) => unknownAnthropicPath(request);
export const action = ({ request }: ActionFunctionArgs) => unknownAnthropicPath(request);
