export {
  createRetryStrategy,
  createLinearRetryStrategy,
  retryPresets,
  DEFAULT_RETRY,
  type RetryStrategyConfig,
  type LinearRetryStrategyConfig,
} from "./retry-strategy.js";
export {
  createWaitStrategy,
  DEFAULT_WAIT_STRATEGY,
  WaitStrategyExhaustedError,
  type WaitStrategyConfig,
} from "./wait-strategy.js";
export { withRetry, type WithRetryConfig, type RetryableFunc } from "./with-retry.js";
