/** Test helper: the Redis URL for the shared-state suites (skip locally, fail under CI). Not shipped. */
export const redisTestURL: string | undefined = process.env.CONDUIT_TEST_REDIS_URL || undefined;

export function shouldRunRedisTests(suite: string): boolean {
  if (redisTestURL) return true;
  if (process.env.CI) {
    throw new Error(
      `${suite}: CONDUIT_TEST_REDIS_URL is not set but CI is; start Redis with scripts/start-redis.sh`,
    );
  }
  process.stderr.write(
    `NOTE ${suite}: skipped, CONDUIT_TEST_REDIS_URL is not set (export CONDUIT_TEST_REDIS_URL=$(bash scripts/start-redis.sh))\n`,
  );
  return false;
}
