export { defaultSerdes, jsonSerdes, serializeValue, deserializeValue } from "./default-serdes.js";
export { createClassSerdes, createClassSerdesWithDates, type NoArgumentClass } from "./class-serdes.js";
export {
  createFileSystemSerdes,
  FileSystemSerdesMode,
  FileSystemPathEncoding,
  type FileSystemSerdesConfig,
} from "./file-system-serdes.js";
export { buildPreview, FieldMatchMode, PreviewMode, type PreviewField, type PreviewConfig } from "./preview.js";
