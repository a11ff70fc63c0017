import { handleDeviceCode } from "@server/auth/connect/device.server";
import type { ActionFunctionArgs } from "@remix-run/node";

// RFC 8628 §3.1 device authorization request.
export const action = ({ request }: ActionFunctionArgs) => handleDeviceCode(request);
