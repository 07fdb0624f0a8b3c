/**
 * `@cairn/aws-lambda/local`: a local HTTP endpoint that speaks the AWS Lambda durable-execution
 * API (checkpoint, state, callbacks, history, Invoke) over Cairn's checkpoint service, so the real
 * `@aws-sdk/client-lambda` — and handlers wrapped by `@cairn/aws-lambda` — can be tested without
 * AWS.
 *
 * @packageDocumentation
 */
export {
  startLocalLambdaEndpoint,
  type LocalLambdaEndpoint,
  type LocalLambdaEndpointOptions,
  type InjectedFailure,
} from "./local-endpoint.js";
