/** @type {import('jest').Config} */
module.exports = {
    testEnvironment: "node",
    roots: ["<rootDir>/test"],
    testMatch: ["**/*.test.ts"],
    transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
    // Pulumi's mock runtime keeps process-wide state; one file per worker avoids cross-talk.
    maxWorkers: 2,
};
