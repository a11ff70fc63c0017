import { handleAigneSessionRead, handleAigneSessionWrite } from "@server/auth/connect/aigne.server";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

// AIGNE CLI's access-key session (docs/aigne-protocol.md, "The CLI's connect flow"): GET polls, POST starts, DELETE ends.
export const loader = ({ request }: LoaderFunctionArgs) => handleAigneSessionRead(request);
export const action = ({ request }: ActionFunctionArgs) => handleAigneSessionWrite(request);
