export { defaultSerdes, jsonSerdes, serializeValue, deserializeValue } from "./default-serdes.js";
export { createClassSerdes, createClassSerdesWithDates, type NoArgumentClass } from "./class-serdes.js";
