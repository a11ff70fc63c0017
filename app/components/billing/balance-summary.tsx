import { Link } from "@remix-run/react";

/** What to say while credit runs short: a headline and one sentence (the banner here and the bar on every page). */
export function lowCreditWords(balance: string, threshold: string): { headline: string; detail: string } {
  const empty = Number(balance) <= 0;
  return {
    headline: empty ? "You are out of credit." : "Your credit is running low.",
    detail: empty
      ? "Calls that cost credit are refused until you top up."
      : `The balance is below ${threshold} ${threshold === "1" ? "credit" : "credits"}.`,
  };
}

/** The buy link as a button, or who to ask when the owner set none. */
function BuyCredits({ buyLink, className }: { buyLink: string | null; className: string }) {
  return buyLink ? (
    <a href={buyLink} className={className} target="_blank" rel="noreferrer">
      Buy credits
    </a>
  ) : (
    <span>Ask the hub's owner to add credit.</span>
  );
}

/** The Billing page's warning banner when credit runs short, with the buy link. */
export function LowBalanceBanner({
  balance,
  threshold,
  buyLink,
}: {
  balance: string;
  threshold: string;
  buyLink: string | null;
}) {
  const words = lowCreditWords(balance, threshold);
  return (
    <div
      role="alert"
      className="mb-6 flex flex-wrap items-center justify-between gap-3 rounded-card border border-warn/30 bg-warn-soft px-4 py-3 text-sm text-warn"
    >
      <p>
        <strong className="font-semibold">{words.headline}</strong> {words.detail}
      </p>
      <BuyCredits buyLink={buyLink} className="btn-primary" />
    </div>
  );
}

/** A thin bar under the navigation on every other signed-in page (polite: it is there on each load, not an event). */
export function CreditWarningBar({
  balance,
  threshold,
  buyLink,
}: {
  balance: string;
  threshold: string;
  buyLink: string | null;
}) {
  const words = lowCreditWords(balance, threshold);
  return (
    <div role="status" aria-label="Credit" className="border-b border-warn/30 bg-warn-soft text-sm text-warn">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-x-4 gap-y-1 px-4 py-2">
        <p>
          <strong className="font-semibold">{words.headline}</strong> {words.detail}
        </p>
        <p className="flex items-center gap-3">
          <BuyCredits buyLink={buyLink} className="font-medium underline" />
          <Link to="/billing" className="underline">
            Billing
          </Link>
        </p>
      </div>
    </div>
  );
}

export function BalanceCard({
  balance,
  reserved,
  buyLink,
  monthTotal,
  monthLabel,
}: {
  balance: string;
  reserved: string;
  buyLink: string | null;
  monthTotal: string;
  monthLabel: string;
}) {
  return (
    <section aria-label="Balance" className="card grid gap-6 p-6 sm:grid-cols-3">
      <div>
        <p className="text-sm text-ink-muted">Balance</p>
        <p className="mt-1 text-3xl font-semibold text-ink" data-testid="balance">
          {balance} <span className="text-base font-normal text-ink-muted">credits</span>
        </p>
        {reserved !== "0" ? (
          <p className="mt-1 text-xs text-ink-faint">{reserved} more held for calls in progress</p>
        ) : null}
      </div>
      <div>
        <p className="text-sm text-ink-muted">Spent in {monthLabel}</p>
        <p className="mt-1 text-3xl font-semibold text-ink">
          {monthTotal} <span className="text-base font-normal text-ink-muted">credits</span>
        </p>
      </div>
      <div className="flex items-center sm:justify-end">
        <p className="text-sm text-ink-muted">
          <BuyCredits buyLink={buyLink} className="btn-primary" />
        </p>
      </div>
    </section>
  );
}
