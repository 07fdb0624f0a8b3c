import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PluginLoadError } from "../errors/plugin-load-error.js";
import { ValidationError } from "../errors/validation-error.js";
import { runLocal } from "../test-support/run-local.js";
import type { DurableExecutionHandler } from "../types/context.js";
import {
  DURABLE_INSTRUMENTATION_PLUGIN_API_VERSION,
  type DurableInstrumentationPlugin,
  type DurableInstrumentationPluginEntry,
  type DurableInstrumentationPluginFactory,
  type InvocationInfo,
} from "../types/plugin.js";
import { withDurableExecution } from "../handler/with-durable-execution.js";

const stepThenWait: DurableExecutionHandler = async (_e, ctx) => {
  await ctx.step("a", async () => 1);
  await ctx.wait({ seconds: 5 });
  return ctx.step("b", async () => 2);
};

const run = (plugins: DurableInstrumentationPluginEntry[], handler = stepThenWait) => runLocal(handler, {}, { config: { plugins } });

describe("plugin factories (AWS SDK 3.0 form)", () => {
  it("create one plugin per invocation, with the info onInvocationStart then receives", async () => {
    const created: { info: InvocationInfo; seen: InvocationInfo[]; ops: string[] }[] = [];
    const factory: DurableInstrumentationPluginFactory = {
      createPlugin(info) {
        const instance = { info, seen: [] as InvocationInfo[], ops: [] as string[] };
        created.push(instance);
        // Per-invocation state in plain fields: no keying by execution or request.
        return {
          onInvocationStart: async (i) => void instance.seen.push(i),
          onOperationStart: async (o) => void instance.ops.push(o.name ?? o.id),
        };
      },
    };
    const result = await run([factory]);
    expect(result.result).toBe(2);
    expect(result.invocations).toHaveLength(2);
    expect(created).toHaveLength(2);
    expect(created.map((c) => c.info.isFirstInvocation)).toEqual([true, false]);
    for (const c of created) expect(c.seen).toEqual([c.info]);
    // The first invocation's plugin saw step "a" and the wait (id 2); the second only step "b".
    expect(created.map((c) => c.ops)).toEqual([["a", "2"], ["b"]]);
  });

  it("mix with 2.4 plugin objects and providers, hooks in the order given", async () => {
    const lines: string[] = [];
    const tag = (name: string): DurableInstrumentationPlugin => ({ onInvocationStart: async () => void lines.push(name) });
    class ProvidedPlugin implements DurableInstrumentationPlugin {
      async onInvocationStart(): Promise<void> {
        lines.push("provider");
      }
    }
    let providerCalls = 0;
    const provider = {
      pluginApiVersion: DURABLE_INSTRUMENTATION_PLUGIN_API_VERSION,
      pluginType: ProvidedPlugin,
      createPlugin: () => (providerCalls++, new ProvidedPlugin()),
    };
    await run([tag("object"), { createPlugin: () => tag("factory") }, provider], async () => "x");
    expect(lines).toEqual(["object", "factory", "provider"]);
    expect(providerCalls).toBe(1); // a 2.4 provider's plugin is created once, when the handler is wrapped
  });

  it("leave out a factory that throws or returns nothing, for that invocation only; the execution is unaffected", async () => {
    const calls: string[] = [];
    let attempts = 0;
    const flaky: DurableInstrumentationPluginFactory = {
      createPlugin: () => {
        if (++attempts === 1) throw new Error("no exporter configured");
        return { onInvocationStart: async () => void calls.push("flaky") };
      },
    };
    const result = await run([flaky, { createPlugin: () => null }, { onInvocationStart: async () => void calls.push("steady") }]);
    expect(result.result).toBe(2);
    expect(calls).toEqual(["steady", "flaky", "steady"]);
  });

  it("reject entries no plugin can come from, naming the entry and what to pass", () => {
    class MyPlugin implements DurableInstrumentationPlugin {}
    const wrap = (plugins: unknown[]) => () => withDurableExecution(async () => "x", { plugins: plugins as DurableInstrumentationPluginEntry[] });
    expect(wrap([{}, MyPlugin])).toThrow(ValidationError);
    expect(wrap([{}, MyPlugin])).toThrow(/plugins\[1\] is a function \(a plugin class\?\); pass an instance \(new MyPlugin\(\)\) or a factory/);
    expect(wrap(["tracing"])).toThrow(/plugins\[0\] must be an object with hook methods, or a factory .*; got a string/);
    expect(wrap([{ pluginApiVersion: 2, pluginType: MyPlugin, createPlugin: () => new MyPlugin() }])).toThrow(
      /plugins\[0\] declares plugin API version 2/,
    );
    expect(wrap([{ pluginApiVersion: 1, pluginType: MyPlugin, createPlugin: () => ({}) }])).toThrow(
      /plugins\[0\] declares plugin type MyPlugin but createPlugin\(\) returned an object/,
    );
  });
});

describe("plugins from DURABLE_EXECUTION_PLUGINS", () => {
  let root: string;
  const saved = { plugins: process.env.DURABLE_EXECUTION_PLUGINS, root: process.env.LAMBDA_TASK_ROOT };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "cairn-plugins-"));
    writeFileSync(join(root, "package.json"), '{ "name": "app", "type": "commonjs" }');
    // An ES module exporting a 3.0 factory, at a path relative to the application root.
    mkdirSync(join(root, "plugins"));
    writeFileSync(
      join(root, "plugins", "esm-factory.mjs"),
      `export const durableExecutionPluginProvider = {
         createPlugin: (info) => ({ onInvocationStart: async () => { globalThis.__pluginLines.push("esm first=" + info.isFirstInvocation); } }),
       };`,
    );
    // A CommonJS package in the application's node_modules exporting a 2.4 provider.
    mkdirSync(join(root, "node_modules", "cjs-provider"), { recursive: true });
    writeFileSync(join(root, "node_modules", "cjs-provider", "package.json"), '{ "name": "cjs-provider", "main": "index.js" }');
    writeFileSync(
      join(root, "node_modules", "cjs-provider", "index.js"),
      `class CjsPlugin { async onInvocationStart() { globalThis.__pluginLines.push("cjs"); } }
       exports.durableExecutionPluginProvider = { pluginApiVersion: 1, pluginType: CjsPlugin, createPlugin: () => new CjsPlugin() };`,
    );
    writeFileSync(join(root, "plugins", "no-export.mjs"), "export const somethingElse = 1;");
    (globalThis as { __pluginLines?: string[] }).__pluginLines = [];
    process.env.LAMBDA_TASK_ROOT = root;
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
    restore("DURABLE_EXECUTION_PLUGINS", saved.plugins);
    restore("LAMBDA_TASK_ROOT", saved.root);
  });

  it("loads ES and CommonJS plugin modules by name, after the configured plugins, in the listed order", async () => {
    process.env.DURABLE_EXECUTION_PLUGINS = " ./plugins/esm-factory.mjs , cjs-provider ";
    const lines = (globalThis as unknown as { __pluginLines: string[] }).__pluginLines;
    const result = await run([{ onInvocationStart: async () => void lines.push("explicit") }]);
    expect(result.result).toBe(2);
    expect(lines).toEqual(["explicit", "esm first=true", "cjs", "explicit", "esm first=false", "cjs"]);
  });

  it.each([
    ["./plugins/missing.mjs", /could not load plugin module '\.\/plugins\/missing\.mjs'.*cannot be found from .*Lambda layer/s],
    ["@acme/not-installed", /could not load plugin module '@acme\/not-installed'.*cannot be found/s],
    ["./plugins/no-export.mjs", /plugin module '\.\/plugins\/no-export\.mjs' must export 'durableExecutionPluginProvider', e\.g\./],
    ["a,,b", /DURABLE_EXECUTION_PLUGINS must list non-empty package or module specifiers/],
    ["cjs-provider,cjs-provider", /lists 'cjs-provider' twice/],
  ])("fails the invocation, not the process, when %s cannot give a plugin", async (configured, message) => {
    process.env.DURABLE_EXECUTION_PLUGINS = configured;
    const result = await run([]);
    expect(result.execution.status).toBe("FAILED");
    expect(result.execution.error).toMatchObject({ ErrorType: "PluginLoadError", ErrorMessage: expect.stringMatching(message) });
    expect(result.invocations).toHaveLength(1);
  });

  it("loads ES and CommonJS modules from the CommonJS build too, where import() becomes require()", async () => {
    // Build the loader as the package's CommonJS build does (esbuild, format cjs) and run it in plain Node.
    const here = dirname(fileURLToPath(import.meta.url));
    const bundle = join(root, "loader.cjs");
    await build({ entryPoints: [join(here, "plugin-loader.ts")], bundle: true, platform: "node", format: "cjs", outfile: bundle, logLevel: "silent" });
    const script = `
      globalThis.__pluginLines = [];
      const { loadProviders } = require(${JSON.stringify(bundle)});
      loadProviders(["./plugins/esm-factory.mjs", "cjs-provider"], { LAMBDA_TASK_ROOT: ${JSON.stringify(root)} }).then(async (loaded) => {
        const [esm, cjs] = loaded.map((l) => l.provider);
        await esm.createPlugin({ isFirstInvocation: true }).onInvocationStart();
        await cjs.createPlugin().onInvocationStart();
        console.log(JSON.stringify(globalThis.__pluginLines));
      });`;
    const output = execFileSync(process.execPath, ["-e", script], { cwd: root, encoding: "utf8", timeout: 20_000 });
    expect(JSON.parse(output)).toEqual(["esm first=true", "cjs"]);
  });

  it("names PluginLoadError as the AWS SDK does", () => {
    const error = new PluginLoadError("x");
    expect(error).toMatchObject({ name: "PluginLoadError", errorType: "PluginLoadError", message: "Dynamic plugin configuration failed: x" });
  });
});

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
