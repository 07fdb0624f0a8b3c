// Public API of @cairn/cli: the command itself, and the renderers other tools may reuse.
export { main } from "./cli.js";
export {
  buildOperationTree,
  compareOperationIds,
  flattenOperationTree,
  renderOperationTree,
  type OperationNode,
  type RenderTreeOptions,
} from "./operation-tree.js";
export { renderHistory, eventDetails } from "./history-format.js";
export { Output, colors, type Colors } from "./output.js";
export { UsageError, EXIT } from "./usage-error.js";
