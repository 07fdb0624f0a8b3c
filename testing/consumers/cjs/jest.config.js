// ts-jest's default preset: TypeScript compiled to CommonJS and type-checked.
module.exports = {
  preset: "ts-jest",
  testTimeout: 120_000,
};
