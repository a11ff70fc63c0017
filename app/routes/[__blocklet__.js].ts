import { handleBlockletJson } from "@server/gateway/discovery.server";

// AIGNE clients discover the hub's mount point here (docs/aigne-protocol.md, "Discovery").
export const loader = () => handleBlockletJson();
