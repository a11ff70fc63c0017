/** The balance card and, when credit runs short, the warning banner with the buy link. */
export function LowBalanceBanner({ balance, threshold, buyLink }: { balance: string; threshold: string; buyLink: string | null }) {
  const empty = Number(balance) <= 0;
  return (
    <div role="alert" className="mb-6 flex flex-wrap items-center justify-between gap-3 rounded-card border border-warn/30 bg-warn-soft px-4 py-3 text-sm text-warn">
      <p>
        <strong className="font-semibold">{empty ? "You are out of credit." : "Your credit is running low."}</strong>{" "}
        {empty ? "Calls that cost credit are refused until you top up." : `The balance is below ${threshold} ${threshold === "1" ? "credit" : "credits"}.`}
        {buyLink ? null : " Ask the hub's owner to add credit."}
      </p>
      {buyLink ? (
        <a href={buyLink} className="btn-primary" target="_blank" rel="noreferrer">
          Buy credits
        </a>
      ) : null}
    </div>
  );
}

export function BalanceCard({ balance, reserved, buyLink, monthTotal, monthLabel }: { balance: string; reserved: string; buyLink: string | null; monthTotal: string; monthLabel: string }) {
  return (
    <section aria-label="Balance" className="card grid gap-6 p-6 sm:grid-cols-3">
      <div>
        <p className="text-sm text-ink-muted">Balance</p>
        <p className="mt-1 text-3xl font-semibold text-ink" data-testid="balance">
          {balance} <span className="text-base font-normal text-ink-muted">credits</span>
        </p>
        {reserved !== "0" ? <p className="mt-1 text-xs text-ink-faint">{reserved} more held for calls in progress</p> : null}
      </div>
      <div>
        <p className="text-sm text-ink-muted">Spent in {monthLabel}</p>
        <p className="mt-1 text-3xl font-semibold text-ink">
          {monthTotal} <span className="text-base font-normal text-ink-muted">credits</span>
        </p>
      </div>
      <div className="flex items-center sm:justify-end">
        {buyLink ? (
          <a href={buyLink} className="btn-primary" target="_blank" rel="noreferrer">
            Buy credits
          </a>
        ) : (
          <p className="text-sm text-ink-muted">Ask the hub's owner to add credit.</p>
        )}
      </div>
    </section>
  );
}
