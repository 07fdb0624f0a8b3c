import type { LambdaContextLike } from "../../types/context.js";

/** `arn:<partition>:lambda:<region>:<account>:function:<name>:<version or alias>` */
const QUALIFIED_FUNCTION_ARN = /^arn:[^:]+:lambda:[^:]+:\d{12}:function:[^:]+:[^:]+$/;

/**
 * The function children run in when the config names none: on AWS Lambda the qualified ARN this
 * invocation came in on (a durable invoke target must carry a version or alias, and children
 * should run the same version as their parent), elsewhere the function's name as the local
 * runner, the CLI or a worker registered it.
 */
export function selfFunctionName(context: LambdaContextLike): string | undefined {
  const arn = context["invokedFunctionArn"];
  if (typeof arn === "string" && QUALIFIED_FUNCTION_ARN.test(arn)) return arn;
  return context.functionName;
}
