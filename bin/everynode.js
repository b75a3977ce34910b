#!/usr/bin/env node
// Entry point for `npx everynode`: runs the compiled CLI (built by `npm ci` through the prepare script).
import("../dist/cli/main.js").catch((err) => {
  if (err && err.code === "ERR_MODULE_NOT_FOUND" && String(err.message).includes("dist/cli/main.js")) {
    console.error("everynode is not built yet: run `npm ci` (or `npm run build`) in the everynode checkout first.");
    process.exit(1);
  }
  throw err;
});
