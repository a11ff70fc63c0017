import { handleStripeWebhook } from "@server/billing/stripe-webhook.server";
import type { ActionFunctionArgs } from "@remix-run/node";

export const action = ({ request }: ActionFunctionArgs) => handleStripeWebhook(request);
