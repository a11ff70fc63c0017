/**
 * Credit billing in the request path (docs/decisions/004-credit-billing.md).
 *
 * `priceCall` and then `reserveForCall` run after routing and before the first upstream byte: the first prices every
 * candidate model with the rate in force at the call's start (the mock provider is free), the second drops
 * candidates that have no price when billing is on and holds the dearest worst case in one write batch, or refuses
 * with 402 and the payment link.
 * `settlementFor` runs once when the call ends (call-context's finishCall): it prices what was used and, when a hold
 * was taken, gives the statements that settle it to that cost and release the rest; the call recorder commits them
 * in the transaction of the call's final record (docs/decisions/008-crash-safe-records.md). With billing off nothing
 * touches the ledger: the price is only computed and stored on the call record.
 */
import type { InStatement, ResultSet } from "@libsql/client";
import type { CallPatch, WithRecord } from "../usage/call-recorder.server";
import type { Candidate } from "../gateway/candidates";
import { HubError } from "../errors";
import { log } from "../log.server";
import { freshSettings, getSettings } from "../settings/settings.server";
import { getAccount } from "./credits.server";
import { closeHoldStatements, reserveHold, settleLateStatements } from "./ledger.server";
import { formatMicro } from "./money";
import { paymentLinkFor } from "./payment-link";
import { MIN_LOWERED_OUTPUT_TOKENS } from "./worst-case";
import {
  affordableOutputTokens,
  priceMicro,
  rateAt,
  worstCaseMicro,
  type BillableUsage,
  type PriceSettings,
  type RateCard,
  type UsageBound,
} from "./price-book";

/** An unpriced model of a provider that costs nothing (ProviderFacts.freeWhenUnpriced: the mock). */
const FREE: RateCard = {
  id: "",
  effectiveFrom: 0,
  inputPerMillion: 0,
  outputPerMillion: 0,
  cachedInputPerMillion: null,
  cacheWritePerMillion: null,
  perImage: null,
  imagePrices: null,
};

export interface CallBilling {
  /** Billing was on when the call started. */
  on: boolean;
  settings: PriceSettings;
  /** "provider/model" → the rate in force at the call's start; null when the model has no price. */
  rates: Map<string, RateCard | null>;
  heldMicro: number;
  image?: { size: string | null; quality: string | null };
}

export interface CallCost {
  /** Micro-credits; null when the model has no price (billing off). */
  costMicro: number | null;
  rateId: string | null;
}

/** What the gateway's call context offers billing. */
export interface BillingContext {
  callId: string;
  /** The hub process serving the call: its holds are released if it stops. */
  instanceId?: string;
  /** The call's `processing` record as a statement, written in the reservation's transaction when still queued. */
  startStatement?: () => InStatement | null;
  startedAt: number;
  aigne: boolean;
  principal: { userId: string; email: string };
  billing: CallBilling | null;
}

const publicName = (c: Pick<Candidate, "provider" | "model">) => `${c.provider.name}/${c.model}`;

function rateOf(c: Candidate, at: number, on: boolean): RateCard | null {
  const rates = c.entry?.rates ?? (c.entry?.rate ? [c.entry.rate] : []);
  const rate = rateAt(rates, at);
  if (rate) return rate;
  return c.provider.adapter.freeWhenUnpriced && on ? FREE : null;
}

export function notEnoughCredit(
  ctx: Pick<BillingContext, "aigne" | "principal">,
  needMicro: number,
  balanceMicro: number,
  link: string | null,
): HubError {
  const url = link ? paymentLinkFor(link, ctx.principal) : null;
  const message =
    `Not enough credit: this call may cost up to ${formatMicro(needMicro)} credits and your balance is ${formatMicro(balanceMicro)} credits.` +
    (url ? ` Buy credits at ${url}` : " Ask the hub's owner to add credit.");
  return new HubError("insufficient_credits", message, null, {
    ...(ctx.aigne ? { type: "NOT_ENOUGH" } : {}),
    ...(url ? { extra: { link: url } } : {}),
  });
}

/** For AIGNE's status probe: with billing on, an empty balance means the caller cannot use the hub now. */
export async function creditShortage(principal: { userId: string; email: string }): Promise<HubError | null> {
  const s = await getSettings();
  if (!s.billingEnabled) return null;
  const { balanceMicro } = await getAccount(principal.userId);
  if (balanceMicro > 0) return null;
  const url = s.paymentLink ? paymentLinkFor(s.paymentLink, principal) : null;
  const message =
    `Your credit balance is ${formatMicro(balanceMicro)} credits.` +
    (url ? ` Buy credits at ${url}` : " Ask the hub's owner to add credit.");
  return new HubError("insufficient_credits", message, null, {
    type: "NOT_ENOUGH",
    ...(url ? { extra: { link: url } } : {}),
  });
}

export interface Reservation {
  /** The candidates the call may use (with billing on, those with a price). */
  candidates: Candidate[];
  /**
   * The output budget (max tokens per choice) lowered to what the balance covers, which the caller must send
   * upstream instead of the requested one (and announce with OUTPUT_CAP_HEADER); null when the request stands.
   */
  outputCap: number | null;
}

export interface ReserveOptions {
  /**
   * The caller can lower its output budget to fit the balance: `bound(c).outputTokens` is `choices` × the budget
   * (chat's n; 1 for the Messages and Responses APIs).
   */
  lowerOutput?: { choices: number };
}

/** The response header that tells a client its output budget was lowered to fit its balance: the new max tokens. */
export const OUTPUT_CAP_HEADER = "x-hub-max-tokens-lowered";

export function outputCapHeaders(reservation: Reservation): Record<string, string> {
  return reservation.outputCap === null ? {} : { [OUTPUT_CAP_HEADER]: String(reservation.outputCap) };
}

/**
 * The call's billing state, before any credit is held: whether billing is on, the price settings, and the rate in
 * force at the call's start for each candidate's model. The caller stores it on the call (`ctx.billing`) before
 * `reserveForCall`, so a call refused for credit is still recorded with its price (0), and settlement prices the
 * call with these rates.
 */
export async function priceCall(ctx: Pick<BillingContext, "startedAt">, candidates: Candidate[]): Promise<CallBilling> {
  const s = freshSettings() ?? (await getSettings());
  const on = s.billingEnabled;
  const settings: PriceSettings = { creditPriceMicroUsd: s.creditPriceMicroUsd, profitMarginBps: s.profitMarginBps };
  const rates = new Map<string, RateCard | null>();
  for (const c of candidates) if (!rates.has(publicName(c))) rates.set(publicName(c), rateOf(c, ctx.startedAt, on));
  return { on, settings, rates, heldMicro: 0 };
}

/**
 * Takes the hold for the priced candidates: the one reservation every inbound API goes through (chat, AIGNE,
 * Messages, Responses, embeddings, images). `billing` is the call's state from `priceCall`; the amount held is
 * written on it (`heldMicro`), which settlement closes. `bound` gives the most each candidate's model can use.
 *
 * Agent clients ask for large output budgets on every call (Claude Code: max_tokens 32000). With
 * `options.lowerOutput`, a balance that cannot cover the worst case at the requested budget does not refuse the
 * call outright: the budget is lowered to the most the balance covers for every candidate, at least
 * MIN_LOWERED_OUTPUT_TOKENS, and the hold taken for that; `outputCap` tells the caller what to send upstream.
 * Below the minimum: 402. Either way the hold is a conditional write, so there is never an overdraft.
 */
export async function reserveForCall(
  ctx: BillingContext,
  billing: CallBilling,
  candidates: Candidate[],
  bound: (c: Candidate) => UsageBound,
  options: ReserveOptions = {},
): Promise<Reservation> {
  const { on, settings, rates } = billing;
  if (!on) return { candidates, outputCap: null };

  const priced = candidates.flatMap((c) => {
    const rate = rates.get(publicName(c));
    return rate ? [{ c, rate }] : [];
  });
  if (priced.length === 0) {
    const name = candidates[0] ? publicName(candidates[0]) : "this model";
    throw new HubError(
      "forbidden",
      `The model '${name}' has no price set, and this hub bills calls in credits: an admin must give it rates before it can be used.`,
      "model",
      { code: "model_not_priced" },
    );
  }
  const usable = priced.map((p) => p.c);
  const choices = Math.max(1, options.lowerOutput?.choices ?? 1);
  const worstAt = (cap: number | null) => {
    let worst = 0;
    for (const { c, rate } of priced) {
      const b = bound(c);
      const capped = cap === null ? b : { ...b, outputTokens: Math.min(b.outputTokens, cap * choices) };
      worst = Math.max(worst, worstCaseMicro(rate, capped, settings));
    }
    return worst;
  };
  const worst = worstAt(null);
  if (worst === 0) return { candidates: usable, outputCap: null };
  const reason = `Hold for ${publicName(usable[0]!)}`;
  // The call's start row goes in the first hold's transaction (docs/decisions/008-crash-safe-records.md).
  const hold = (amountMicro: number) => {
    const start = ctx.startStatement?.();
    return reserveHold({
      userId: ctx.principal.userId,
      callId: ctx.callId,
      amountMicro,
      reason,
      instanceId: ctx.instanceId ?? null,
      before: start ? [start] : [],
    });
  };
  let { ok, balanceMicro } = await hold(worst);
  if (ok) {
    billing.heldMicro = worst;
    return { candidates: usable, outputCap: null };
  }
  if (options.lowerOutput) {
    let cap = Number.MAX_SAFE_INTEGER;
    for (const { c, rate } of priced) {
      const b = bound(c);
      const affordable = affordableOutputTokens(rate, b, settings, balanceMicro);
      cap = Math.min(cap, Math.floor(b.outputTokens / choices), Math.floor(affordable / choices));
    }
    if (cap >= MIN_LOWERED_OUTPUT_TOKENS) {
      const lowered = worstAt(cap);
      ({ ok, balanceMicro } = await hold(lowered));
      if (ok) {
        billing.heldMicro = lowered;
        return { candidates: usable, outputCap: cap };
      }
    }
  }
  throw notEnoughCredit(ctx, worst, balanceMicro, (await getSettings()).paymentLink);
}

/**
 * What was used and is chargeable: a success all of it; a client abort what was generated; a failure only what the
 * provider charged (it reported usage, or output had been generated before the stream broke).
 */
export function chargeableUsage(patch: CallPatch): BillableUsage {
  const used: BillableUsage = {
    inputTokens: patch.inputTokens,
    outputTokens: patch.outputTokens,
    cachedInputTokens: patch.cachedInputTokens,
    cacheWriteTokens: patch.cacheWriteTokens,
    images: patch.images,
  };
  if (patch.status === "success" || patch.status === "aborted") return used;
  if (patch.usageSource === "provider" || (patch.outputTokens ?? 0) > 0 || (patch.images ?? 0) > 0) return used;
  return {};
}

/** A call's price and, when it holds credit, the ledger statements that settle it (see settlementFor). */
export interface Settlement {
  cost: CallCost;
  withRecord?: WithRecord;
}

/**
 * Prices the ended call and, when a hold was taken, returns the statements that settle it, for the transaction of
 * the call's final record. Called once per call. When the hold is gone (a stopped-instance recovery or the stale-call
 * job released it while a very long call was still running), the same statements charge the call without it.
 */
export function settlementFor(ctx: BillingContext, patch: CallPatch): Settlement {
  const billing = ctx.billing;
  if (!billing) return { cost: { costMicro: null, rateId: null } };
  const name = patch.providerName && patch.model ? `${patch.providerName}/${patch.model}` : null;
  const rate = name ? (billing.rates.get(name) ?? null) : null;
  const usage = chargeableUsage(patch);
  if (billing.image) {
    usage.imageSize = billing.image.size;
    usage.imageQuality = billing.image.quality;
  }
  const costMicro = rate ? priceMicro(rate, usage, billing.settings) : billing.on ? 0 : null;
  const cost: CallCost = { costMicro, rateId: rate?.id || null };
  if (billing.heldMicro <= 0) return { cost };
  const charge = costMicro ?? 0;
  const close = closeHoldStatements({
    callId: ctx.callId,
    costMicro: charge,
    releaseReason: `Hold released (${patch.status ?? "ended"})`,
    settleReason: `${name ?? "call"} · ${usage.inputTokens ?? 0} input + ${usage.outputTokens ?? 0} output tokens${usage.images ? ` + ${usage.images} images` : ""}`,
    actorId: ctx.principal.userId,
  });
  // Only after closeHold's statements, and a no-op when they wrote the settle entry (unique per call).
  const lateReason = `${name ?? "call"} (settled after its hold expired)`;
  const late =
    charge > 0
      ? settleLateStatements({
          userId: ctx.principal.userId,
          callId: ctx.callId,
          costMicro: charge,
          reason: lateReason,
          actorId: ctx.principal.userId,
        })
      : null;
  const after = (results: ResultSet[]) => {
    const closed = close.read(results);
    const lateMicro = late ? late.read(results.slice(close.statements.length)) : 0;
    const charged = closed.chargedMicro + lateMicro;
    if (charged < charge) {
      log.warn("call cost more than the balance could cover", {
        callId: ctx.callId,
        costMicro: charge,
        chargedMicro: charged,
      });
    }
  };
  return { cost, withRecord: { statements: [...close.statements, ...(late?.statements ?? [])], after } };
}
