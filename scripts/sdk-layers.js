// The layers of @cairn/sdk (../shared/DESIGN.md, "Layers") as lint rules: each folder of
// packages/sdk/src may import only from the folders below it, so the handler's side never reaches
// the service, the stores or the orchestrator, and the service core never reaches the engine.
// Tests and test-support may import anything (they wire the layers together).
//
//   handler side (bottom to top): protocol → errors → types → serdes, retry → engine → context
//                                 → queues → handler → the entries index.ts and backend.ts
//   service side:                 protocol → service → orchestrator (which may also reach the
//                                 engine's invocation environment, to invoke a handler)

/** Folder → the folders it must not import from. */
const forbidden = {
  protocol: ["errors", "types", "serdes", "retry", "engine", "context", "queues", "handler", "service", "orchestrator"],
  errors: ["serdes", "retry", "engine", "context", "queues", "handler", "service", "orchestrator"],
  types: ["serdes", "retry", "engine", "context", "queues", "handler", "service", "orchestrator"],
  serdes: ["retry", "engine", "context", "queues", "handler", "service", "orchestrator"],
  retry: ["serdes", "engine", "context", "queues", "handler", "service", "orchestrator"],
  engine: ["context", "queues", "handler", "service", "orchestrator"],
  context: ["queues", "handler", "service", "orchestrator"],
  queues: ["engine", "context", "handler", "service", "orchestrator"],
  handler: ["service", "orchestrator"],
  service: ["serdes", "retry", "engine", "context", "queues", "handler", "orchestrator"],
  orchestrator: ["context", "queues", "handler"],
};

/** errors/ describes batch outcomes with a type from types/; a type-only import erases at run time. */
const typeOnlyAllowed = { errors: ["types"] };

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function restriction(folders, message) {
  return { regex: `^(\\.\\./)+(${folders.map(escape).join("|")})/`, message };
}

/** Flat-config entries enforcing the layers with @typescript-eslint/no-restricted-imports. */
export const sdkLayerRules = [
  ...Object.entries(forbidden).map(([folder, banned]) => {
    const typeOnly = typeOnlyAllowed[folder] ?? [];
    const always = banned.filter((name) => !typeOnly.includes(name));
    const message = `packages/sdk/src/${folder} sits below these folders in the layers of ../shared/DESIGN.md; move the shared code down instead of importing upward.`;
    return {
      files: [`packages/sdk/src/${folder}/**/*.ts`],
      ignores: ["**/*.test.ts", "**/test-support/**"],
      rules: {
        "@typescript-eslint/no-restricted-imports": [
          "error",
          {
            patterns: [
              restriction(always, message),
              ...(typeOnly.length > 0 ? [{ ...restriction(typeOnly, message), allowTypeImports: true }] : []),
            ],
          },
        ],
      },
    };
  }),
  {
    // The handler's entry points: a bundled handler must carry neither the service nor the orchestrator.
    files: ["packages/sdk/src/index.ts", "packages/sdk/src/backend.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^\\./(service|orchestrator)/",
              message: "A handler-side entry point must not reach the service or the orchestrator: they have their own entries (@cairn/sdk/service, @cairn/sdk/orchestrator).",
            },
          ],
        },
      ],
    },
  },
];
