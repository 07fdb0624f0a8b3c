import type { CheckpointBackend, DurableLambdaHandler } from "@cairn/sdk";
import { attachInvocationEnvironment, invocationEnvironmentOf } from "@cairn/sdk/backend";

/**
 * Wraps the function distributed-map children run in so that chosen checkpoint calls of child
 * invocations crash them the way the runner's fault injection crashes a parent: the invocation's
 * calls stop settling (nothing more of it is stored) and the orchestrator invokes it again.
 */
export function crashingChildren(handler: DurableLambdaHandler, plan: (checkpointNumber: number) => "before" | "after" | undefined) {
  let count = 0;
  let crashes = 0;
  const wrapped: DurableLambdaHandler = (input, lambdaContext) => {
    const env = invocationEnvironmentOf(input);
    if (!env) return handler(input, lambdaContext);
    let dead = false;
    let crash!: (error: Error) => void;
    const crashed = new Promise<never>((_, reject) => (crash = reject));
    const die = (n: number, phase: string): Promise<never> => {
      dead = true;
      crashes++;
      crash(new Error(`injected crash ${phase} child checkpoint ${n}`));
      return new Promise<never>(() => {});
    };
    const backend: CheckpointBackend = {
      getExecutionState: (request) => env.backend.getExecutionState(request),
      checkpoint: async (request) => {
        if (dead) return new Promise<never>(() => {});
        if ((request.Updates?.length ?? 0) === 0) return env.backend.checkpoint(request);
        const n = ++count;
        const phase = plan(n);
        if (phase === "before") return die(n, phase);
        const response = await env.backend.checkpoint(request);
        if (dead) return new Promise<never>(() => {});
        if (phase === "after") return die(n, phase);
        return response;
      },
    };
    return Promise.race([handler(attachInvocationEnvironment(input, { ...env, backend }), lambdaContext), crashed]);
  };
  return { wrapped, crashes: () => crashes };
}
