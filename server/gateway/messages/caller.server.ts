/**
 * Who calls the Messages API: the hub's access key in `Authorization: Bearer` (Claude Code's ANTHROPIC_AUTH_TOKEN,
 * and @anthropic-ai/sdk for apiKey and authToken alike) or in `x-api-key` (ANTHROPIC_API_KEY with other clients).
 * The Bearer header wins when both are sent (docs/messages-api.md).
 */
import { authenticateKey, bearer, type Principal } from "../authenticate.server";

const MISSING =
  "You didn't provide an API key. Send the hub's access key as 'x-api-key: hub-sk-...' or 'Authorization: Bearer hub-sk-...'.";

export function messagesCaller(request: Request): Promise<Principal> {
  const key = bearer(request) ?? (request.headers.get("x-api-key")?.trim() || null);
  return authenticateKey(request, key, MISSING);
}
