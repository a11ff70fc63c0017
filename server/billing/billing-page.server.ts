/**
 * The Billing page's data for the signed-in user: balance and held credit, whether to warn that it runs low, the
 * personal buy link, the transaction history with its filters, and the cost per model this month.
 */
import type { SessionUser } from "../auth/session.server";
import { getSettings } from "../settings/settings.server";
import { getAccount } from "./credits.server";
import { costByModel, queryLedger, type LedgerPage, type ModelCost } from "./ledger-query.server";
import { monthStart, parseLedgerFilters, type LedgerFilters } from "./ledger-view";
import { formatMicro } from "./money";
import { paymentLinkFor } from "./payment-link";

export interface BillingPageData {
  enabled: boolean;
  balance: string;
  balanceMicro: number;
  reserved: string;
  low: boolean;
  lowThreshold: string;
  buyLink: string | null;
  filters: LedgerFilters;
  history: LedgerPage;
  month: { label: string; total: string; models: ModelCost[] };
}

export async function getBillingPage(user: SessionUser, url: URL, now = Date.now()): Promise<BillingPageData> {
  const filters = parseLedgerFilters(url.searchParams);
  const since = monthStart(now);
  const [settings, acct, history, models] = await Promise.all([
    getSettings(),
    getAccount(user.id),
    queryLedger({ userId: user.id, filters }),
    costByModel(user.id, since),
  ]);
  const total = models.reduce((sum, m) => sum + m.costMicro, 0);
  return {
    enabled: settings.billingEnabled,
    balance: formatMicro(acct.balanceMicro),
    balanceMicro: acct.balanceMicro,
    reserved: formatMicro(acct.reservedMicro),
    low: settings.billingEnabled && acct.balanceMicro < settings.lowBalanceWarningMicro,
    lowThreshold: formatMicro(settings.lowBalanceWarningMicro),
    buyLink: settings.paymentLink ? paymentLinkFor(settings.paymentLink, { userId: user.id, email: user.email }) : null,
    filters,
    history,
    month: {
      label: new Date(since).toLocaleString("en-US", { month: "long", year: "numeric", timeZone: "UTC" }),
      total: formatMicro(total),
      models,
    },
  };
}

export interface CreditWarning {
  balance: string;
  threshold: string;
  buyLink: string | null;
}

/** For every signed-in page: with billing on and the balance under the warning level, what the banner says. */
export async function creditWarning(user: Pick<SessionUser, "id" | "email">): Promise<CreditWarning | null> {
  const settings = await getSettings();
  if (!settings.billingEnabled) return null;
  const { balanceMicro } = await getAccount(user.id);
  if (balanceMicro >= settings.lowBalanceWarningMicro) return null;
  return {
    balance: formatMicro(balanceMicro),
    threshold: formatMicro(settings.lowBalanceWarningMicro),
    buyLink: settings.paymentLink ? paymentLinkFor(settings.paymentLink, { userId: user.id, email: user.email }) : null,
  };
}
