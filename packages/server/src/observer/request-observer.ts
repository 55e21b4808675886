/** The request record and observer are core's spec (`@conduit/core`); re-exported for the server's users. */
export type { RequestObserver, RequestRecord } from '@conduit/core';
