import { randomBytes } from 'node:crypto';

/** Random hex drawn 256 ids at a time: one `randomBytes` call instead of a UUID per id. */
const randomHexDigits = 20;
const randomPoolHexDigits = randomHexDigits * 256;
let randomHexPool = '';
let randomHexOffset = randomPoolHexDigits;

/** 20 random hex digits (80 random bits), from the pool. */
function randomHex(): string {
  if (randomHexOffset === randomPoolHexDigits) {
    randomHexPool = randomBytes(randomPoolHexDigits / 2).toString('hex');
    randomHexOffset = 0;
  }
  const hex = randomHexPool.slice(randomHexOffset, randomHexOffset + randomHexDigits);
  randomHexOffset += randomHexDigits;
  return hex;
}

/** The last millisecond's 12 hex digits: at load, several requests arrive in one. */
let lastMillisecond = -1;
let lastMillisecondHex = '';

function millisecondHex(now: number): string {
  if (now !== lastMillisecond) {
    lastMillisecond = now;
    lastMillisecondHex = now.toString(16).padStart(12, '0');
  }
  return lastMillisecondHex;
}

/**
 * `req_` and 32 hex digits: the arrival time in milliseconds (12 digits), then 20 random ones
 * (80 random bits). Time-ordered ids append to the usage ledger's primary-key index instead of
 * landing on a random page of it: a row then costs about a third of the SQLite write time, and a
 * large ledger no longer reads index pages from disk to insert.
 */
export function createRequestId(): string {
  return `req_${millisecondHex(Date.now())}${randomHex()}`;
}
