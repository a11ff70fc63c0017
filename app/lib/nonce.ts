/**
 * This request's CSP nonce, for the inline scripts Remix writes (<Scripts>, <ScrollRestoration>). Provided by
 * app/entry.server.tsx during the server render only: browsers hide a nonce from the page once it is parsed,
 * so the client renders an empty one and hydration keeps the server's attribute. docs/decisions/010-web-security.md.
 */
import { createContext, useContext } from "react";

export const NonceContext = createContext("");

export const useNonce = () => useContext(NonceContext);
