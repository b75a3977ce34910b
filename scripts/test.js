#!/usr/bin/env node
// Runs the whole suite with node's test runner (through tsx): unit tests beside the code, then
// integration and end-to-end tests. `node scripts/test.js unit` runs only the unit tests.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

function find(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) find(p, out);
    else if (name.endsWith(".test.ts")) out.push(p);
  }
  return out;
}

const only = process.argv[2];
const groups = [];
if (!only || only === "unit") groups.push(...find("src"));
if (!only || only === "integration") groups.push(...find("test/integration"));
if (!only || only === "e2e") {
  // End-to-end tests spawn the compiled CLI, so build it first.
  const build = spawnSync("npx", ["tsc", "-p", "tsconfig.build.json"], { stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
  groups.push(...find("test/e2e"));
}
const res = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", "--test-concurrency=2", "--test-reporter=spec", ...groups],
  {
    stdio: "inherit",
    env: { ...process.env, EVERYNODE_LOG_LEVEL: process.env.EVERYNODE_LOG_LEVEL ?? "warn" },
  },
);
process.exit(res.status ?? 1);
