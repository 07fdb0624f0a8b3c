export {
  createRetryStrategy,
  createLinearRetryStrategy,
  retryPresets,
  DEFAULT_RETRY,
  type RetryStrategyConfig,
  type LinearRetryStrategyConfig,
} from "./retry-strategy.js";
