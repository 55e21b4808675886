/** Private test helpers. @module */
export const fixturesDirectory = new URL(
  '../../../../shared/fixtures/claude-code/',
  import.meta.url,
);
