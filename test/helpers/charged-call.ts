/** A finished call of a user that the ledger charged `costMicro` for (hold, then settle), as the gateway leaves one. */
import { closeHold, reserveHold } from "@server/billing/ledger.server";
import { callRecorder } from "@server/usage/call-recorder.server";

export async function chargedCall(userId: string, costMicro: number): Promise<string> {
  const callId = callRecorder.start({
    requestId: `req-${Math.random().toString(36).slice(2)}`,
    userId,
    type: "chat",
    endpoint: "/api/v2/chat/completions",
    status: "processing",
  });
  const held = await reserveHold({ userId, callId, amountMicro: costMicro * 2, reason: "Hold for test" });
  if (!held.ok) throw new Error(`not enough credit to hold ${costMicro * 2}`);
  await closeHold({
    callId,
    costMicro,
    releaseReason: "Hold released (success)",
    settleReason: "test call",
    actorId: userId,
  });
  await callRecorder.finish(callId, {
    status: "success",
    httpStatus: 200,
    providerName: "mock",
    model: "mock-chat",
    costMicro,
  });
  await callRecorder.flush();
  return callId;
}
