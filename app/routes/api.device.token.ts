import { handleDeviceToken } from "@server/auth/connect/device.server";
import type { ActionFunctionArgs } from "@remix-run/node";

// RFC 8628 §3.4 device access token request.
export const action = ({ request }: ActionFunctionArgs) => handleDeviceToken(request);
