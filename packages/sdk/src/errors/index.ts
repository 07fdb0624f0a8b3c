export * from "./validation-error.js";
export * from "./durable-errors.js";
export * from "./engine-errors.js";
export { toErrorObject } from "./error-object.js";
