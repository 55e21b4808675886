/**
 * Private test helpers: recording mock providers on 127.0.0.1 (OpenAI-compatible and Anthropic,
 * with fault injection), SSE helpers, Claude Code fixture loaders and the adapter contract suite.
 * @module
 */
// Everything but the contract suite lives in ./helpers.js (importable without jest).
export * from './helpers.js';
export {
  adapterContractGatewayConfig,
  runAdapterContract,
  type AdapterContractOptions,
  type ContractEnvironment,
  type ContractUpstream,
} from './adapter-contract.js';
