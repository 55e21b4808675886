/** The @conduit/server version, reported by `/health` and `GET /` (written by scripts/sync-versions.mjs). */
export const conduitServerVersion = '0.1.0';
