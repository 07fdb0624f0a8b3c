// The local endpoint has no authentication, so where it listens is checked before it listens.
import { CheckpointService, MemoryExecutionStore } from "@cairn/sdk/service";
import { expect, it } from "vitest";
import { startLocalLambdaEndpoint } from "./local-endpoint.js";

const service = () => new CheckpointService({ store: new MemoryExecutionStore() });

it("refuses an empty host, which would listen on every interface", async () => {
  await expect(startLocalLambdaEndpoint({ service: service(), host: "" })).rejects.toThrow(
    'startLocalLambdaEndpoint: host must be a non-empty host name or address (default 127.0.0.1), got "".',
  );
});

it("listens on the loopback address by default", async () => {
  const endpoint = await startLocalLambdaEndpoint({ service: service() });
  try {
    expect(new URL(endpoint.url).hostname).toBe("127.0.0.1");
  } finally {
    await endpoint.close();
  }
});
