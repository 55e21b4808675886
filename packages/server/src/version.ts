/** The @conduit/server version, reported by `/health` and `GET /`. */
export const conduitServerVersion = '0.1.0';
