-- Sessions are now stored by the SHA-256 of their cookie token (server/auth/session.server.ts). Rows written
-- before held the token itself as their id: remove them, which signs everyone out once.
DELETE FROM `sessions`;
