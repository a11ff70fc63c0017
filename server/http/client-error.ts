/**
 * Requests Node's HTTP parser refuses before the hub sees them (headers over the 16 KB limit, malformed request
 * lines, a header timeout): answered in OpenAI's error shape like every other error, instead of Node's bare status
 * line, then the connection closes. Wired as the server's `clientError` handler (./start.server.ts).
 */
import type { Duplex } from "node:stream";
import { toErrorBody, HubError } from "../errors";

function statusFor(code: string | undefined): { status: number; reason: string; error: HubError } | null {
  switch (code) {
    case "HPE_HEADER_OVERFLOW":
      return {
        status: 431,
        reason: "Request Header Fields Too Large",
        error: new HubError("invalid_input", "The request headers are larger than 16 KB.", null, {
          status: 431,
          code: "request_header_fields_too_large",
        }),
      };
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return {
        status: 408,
        reason: "Request Timeout",
        error: new HubError("request_timeout", "The request did not arrive in time."),
      };
    case "ECONNRESET":
    case "EPIPE":
      return null;
    default:
      return {
        status: 400,
        reason: "Bad Request",
        error: new HubError("invalid_input", "The request is not valid HTTP.", null, { code: "bad_request" }),
      };
  }
}

export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  const answer = statusFor(error.code);
  if (!answer || !socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify(toErrorBody(answer.error).body);
  socket.end(
    `HTTP/1.1 ${answer.status} ${answer.reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(
      body,
    )}\r\nconnection: close\r\n\r\n${body}`,
  );
}
