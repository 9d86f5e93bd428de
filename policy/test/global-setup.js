// Compiles the standalone checker to dist/ so the CLI tests run it as users do (node bin/todo-policy-check).
const { execFileSync } = require("node:child_process");
const path = require("node:path");

module.exports = async () => {
    const root = path.join(__dirname, "..");
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
};
