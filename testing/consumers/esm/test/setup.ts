// vitest setup file: installs Cairn's matchers on `expect` (and, being part of the project,
// brings their types into every test file).
import "@cairn/testing/vitest";
