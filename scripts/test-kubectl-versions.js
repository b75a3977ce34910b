#!/usr/bin/env node
// Runs the whole end-to-end suite once per kubectl minor installed beside the real kubectl (kubectl.1.27 …
// kubectl.1.33), each run with KUBECTL pointing at that binary, and prints one line per version.
// `node scripts/test-kubectl-versions.js 27 1.33` runs only those minors. Each run's full output goes to
// .everynode-test/kubectl-1.NN.log, and a failed run's failing tests are printed.
import { execFileSync, spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readFileSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";

const ALL_MINORS = [27, 28, 29, 30, 31, 32, 33];

function kubectlDir() {
  const onPath = execFileSync("sh", ["-c", "command -v kubectl || true"], { encoding: "utf8" }).trim();
  if (!onPath) {
    console.error("no kubectl on PATH: install kubectl (with kubectl.1.27 … kubectl.1.33 beside it) first");
    process.exit(2);
  }
  return dirname(realpathSync(onPath));
}

/** Runs `scripts/test.js e2e` with this binary, its output teed to a log; resolves to the exit code. */
function runSuite(binary, log) {
  return new Promise((resolve) => {
    const out = createWriteStream(log);
    const child = spawn(process.execPath, ["scripts/test.js", "e2e"], {
      env: { ...process.env, KUBECTL: binary },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    child.on("close", (code) => out.end(() => resolve(code ?? 1)));
  });
}

/** The runner's closing counts (`ℹ pass N`) and the failing-tests section of a spec-reporter log. */
function summarise(text) {
  const count = (name) => Number(text.match(new RegExp(`^ℹ ${name} (\\d+)`, "m"))?.[1] ?? 0);
  const failures = text.split("✖ failing tests:")[1];
  return { pass: count("pass"), fail: count("fail"), skipped: count("skipped"), failures };
}

const dir = kubectlDir();
const asked = process.argv.slice(2).map((arg) => {
  const minor = Number(arg.replace(/^1\./, ""));
  if (!Number.isInteger(minor)) {
    console.error(`"${arg}" is not a kubectl minor: give minors such as 27 or 1.27`);
    process.exit(2);
  }
  return minor;
});
const minors = asked.length ? asked : ALL_MINORS;
mkdirSync(".everynode-test", { recursive: true });
const failed = [];
for (const minor of minors) {
  const binary = join(dir, `kubectl.1.${minor}`);
  if (!existsSync(binary)) {
    console.log(`kubectl 1.${minor}: not installed beside ${dir}/kubectl, skipped`);
    continue;
  }
  const log = join(".everynode-test", `kubectl-1.${minor}.log`);
  process.stdout.write(`kubectl 1.${minor}: running the end-to-end suite (log: ${log}) … `);
  const started = Date.now();
  const code = await runSuite(binary, log);
  const { pass, fail, skipped, failures } = summarise(readFileSync(log, "utf8"));
  const seconds = Math.round((Date.now() - started) / 1000);
  console.log(`${pass} passed, ${fail} failed, ${skipped} skipped in ${seconds} s`);
  if (code !== 0) {
    failed.push(minor);
    if (failures) console.log(failures.trimEnd());
  }
}
if (failed.length) {
  console.log(`failed with kubectl ${failed.map((m) => `1.${m}`).join(", ")}; see the logs above`);
  process.exit(1);
}
