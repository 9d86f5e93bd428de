/** @type {import('jest').Config} */
module.exports = {
    testEnvironment: "node",
    roots: ["<rootDir>/test"],
    testMatch: ["**/*.test.ts"],
    // 151002: ts-jest notes that nodenext prefers isolatedModules; we keep full type-checking instead.
    transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json", diagnostics: { ignoreCodes: [151002] } }] },
    // The CLI tests run the compiled checker (bin/ → dist/); build it once before the run.
    globalSetup: "<rootDir>/test/global-setup.js",
};
