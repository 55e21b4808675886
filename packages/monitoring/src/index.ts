/** @conduit/monitoring: usage and cost tracking, Prometheus metrics, health. @module */
export type { RoutingDecision } from '@conduit/core';
