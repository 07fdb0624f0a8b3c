export { defaultSerdes, jsonSerdes, serializeValue, deserializeValue } from "./default-serdes.js";
