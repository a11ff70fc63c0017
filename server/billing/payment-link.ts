/**
 * The owner's payment link, made personal: Stripe Payment Links take `client_reference_id` (echoed on the checkout
 * session, which the webhook credits) and `prefilled_email`
 * (https://docs.stripe.com/payment-links/url-parameters). Other payment pages ignore parameters they do not know.
 */
export function paymentLinkFor(link: string, user: { userId: string; email?: string | null }): string {
  try {
    const url = new URL(link);
    url.searchParams.set("client_reference_id", user.userId);
    if (user.email) url.searchParams.set("prefilled_email", user.email);
    return url.toString();
  } catch {
    return link;
  }
}
