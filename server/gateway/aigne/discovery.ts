/**
 * How AIGNE's client finds the hub and its models (docs/aigne-protocol.md, "Discovery").
 *
 * `GET /__blocklet__.js?type=json` (no auth): the client looks for the component with AIGNE Hub's DID and joins
 * its mountPoint with `/api/v2/chat` or `/api/v2/image`. `GET <mount>/api/ai/models?type=...` (no auth): the
 * client's getModels() zod-parses the array, so the credit rates must be strings and `status` an object
 * (AIGNE Hub itself sometimes sends `status: "active"`, which that schema rejects).
 */

/** AIGNE_HUB_BLOCKLET_DID in @aigne/aigne-hub's constants. */
export const AIGNE_HUB_DID = "z8ia3xzq2tMq8CRHfaXj1BTYJyYnEcHbqP8cJ";

export interface BlockletJson {
  componentMountPoints: Array<{ did: string; name: string; mountPoint: string }>;
}

/** The discovery document; the API lives at the origin's root unless the hub is mounted under a prefix. */
export function blockletJson(mountPoint = "/"): BlockletJson {
  return { componentMountPoints: [{ did: AIGNE_HUB_DID, name: "ai-hub", mountPoint }] };
}

export interface HubModelInfo {
  provider: string;
  providerDisplayName: string;
  /** The provider's model id ("gpt-4o-mini"). */
  model: string;
  type: "chat" | "image" | "embedding";
  /** Decimal strings, kept as strings end to end (no float rounding). */
  inputCreditsPerToken: string;
  outputCreditsPerToken: string;
  available: boolean;
  metadata?: Record<string, unknown> | null;
}

export interface AigneModelListEntry {
  /** "provider/model", as AIGNE Hub lists it; the client ignores it, people and UIs use it. */
  key: string;
  model: string;
  type: string;
  provider: string;
  input_credits_per_token: string;
  output_credits_per_token: string;
  modelMetadata: Record<string, unknown> | null;
  providerDisplayName: string;
  status: { available: boolean };
}

export function toAigneModelList(models: HubModelInfo[]): AigneModelListEntry[] {
  return models.map((m) => ({
    key: `${m.provider}/${m.model}`,
    model: m.model,
    type: m.type,
    provider: m.provider,
    input_credits_per_token: String(m.inputCreditsPerToken),
    output_credits_per_token: String(m.outputCreditsPerToken),
    modelMetadata: m.metadata ?? null,
    providerDisplayName: m.providerDisplayName,
    status: { available: m.available },
  }));
}
