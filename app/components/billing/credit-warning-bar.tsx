import { Link } from "@remix-run/react";

/**
 * A thin bar under the navigation on every signed-in page while credit runs short (billing on), so people learn it
 * before a call is refused. Polite (role="status"): it is there on every page load, not a new event.
 */
export function CreditWarningBar({ balance, threshold, buyLink }: { balance: string; threshold: string; buyLink: string | null }) {
  const empty = Number(balance) <= 0;
  return (
    <div role="status" aria-label="Credit" className="border-b border-warn/30 bg-warn-soft text-sm text-warn">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-x-4 gap-y-1 px-4 py-2">
        <p>
          <strong className="font-semibold">{empty ? "You are out of credit." : "Your credit is running low."}</strong>{" "}
          {empty ? "Calls that cost credit are refused until you top up." : `The balance is ${balance} credits, below ${threshold} ${threshold === "1" ? "credit" : "credits"}.`}
        </p>
        <p className="flex items-center gap-3">
          {buyLink ? (
            <a href={buyLink} className="font-medium underline" target="_blank" rel="noreferrer">
              Buy credits
            </a>
          ) : (
            <span>Ask the hub's owner to add credit.</span>
          )}
          <Link to="/billing" className="underline">
            Billing
          </Link>
        </p>
      </div>
    </div>
  );
}
