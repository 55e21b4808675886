/** Test helper (not shipped): the system Chromium the browser test and the first-paint script drive. */

/** Debian's `chromium`, or `CONDUIT_CHROMIUM_PATH`. */
export const chromiumPath = process.env.CONDUIT_CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless, sandbox-less (CI containers), and quiet: no GPU, QUIC, sync, updates or background traffic. */
export const chromiumLaunchArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
