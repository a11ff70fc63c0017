/**
 * The provider credentials this process knows (set whenever the routing catalog loads), masked by value in every
 * text that goes through redactText: log lines, error bodies, stored error messages and logged bodies. The
 * gateway already masks upstream text with the calling credential's own mask where it arrives
 * (server/gateway/masked-upstream.ts); this is the net under every other path. Holds one mask, replaced whole.
 */
import { createSecretMask, credentialValues, type SecretMask } from "./secret-mask";

let known: SecretMask = createSecretMask([]);

export function setKnownSecrets(secrets: string[]): void {
  known = createSecretMask(secrets.flatMap(credentialValues));
}

export function maskKnownSecrets(text: string): string {
  return known.empty ? text : known.text(text);
}
