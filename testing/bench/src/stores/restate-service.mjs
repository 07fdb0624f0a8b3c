// Child process: the three handlers as a Restate service, served over HTTP/2 on a free loopback port
// (printed as `PORT <n>`), for the restate-server the stores group starts.
//   node src/stores/restate-service.mjs
//
// seq: n sequential ctx.run calls, each journaled before the next starts (Cairn: ctx.step).
// map: Restate has no map; the closest is n ctx.run started together and awaited with
//      RestatePromise.all (Cairn: ctx.map over n items, each item a child context with one step).
// short: n sequential ctx.run with a durable ctx.sleep after the first (Cairn: ctx.step, ctx.wait).

// The Restate SDK uses Promise.withResolvers (Node 22); Node 20 lacks it.
if (typeof Promise.withResolvers !== "function") {
  Promise.withResolvers = function withResolvers() {
    let resolve;
    let reject;
    const promise = new this((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

const http2 = await import("node:http2");
const restate = await import("@restatedev/restate-sdk");
const { SHORT_WAIT_SECONDS } = await import("./workloads.mjs");

const bench = restate.service({
  name: "bench",
  handlers: {
    seq: async (ctx, size) => {
      let sum = 0;
      for (let i = 0; i < size; i++) sum += await ctx.run(() => i);
      return sum;
    },
    map: async (ctx, size) => {
      const results = await restate.RestatePromise.all(Array.from({ length: size }, (_, i) => ctx.run(() => i * 2)));
      return results.length;
    },
    short: async (ctx, size) => {
      let sum = 0;
      for (let i = 0; i < size; i++) {
        sum += await ctx.run(() => i);
        if (i === 0) await ctx.sleep(SHORT_WAIT_SECONDS * 1000);
      }
      return sum;
    },
  },
});

const server = http2.createServer(restate.createEndpointHandler({ services: [bench], logger: () => {} }));
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`PORT ${server.address().port}\n`);
});
process.once("SIGTERM", () => {
  server.close();
  process.exit(0);
});
