import { handleBlockletJson } from "@server/gateway/discovery.server";

// AIGNE clients discover the hub's mount point here (aigne-protocol.md §2).
export const loader = () => handleBlockletJson();
