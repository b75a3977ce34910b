// The versioned kubectl binaries (kubectl.1.27 … kubectl.1.33) installed beside the `kubectl` on PATH, which
// is often a symlink to a dispatcher that picks one by the server's minor version.
import { execFileSync } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";

function kubectlDir(): string | undefined {
  try {
    const onPath = execFileSync("sh", ["-c", "command -v kubectl"], { encoding: "utf8" }).trim();
    return onPath ? dirname(realpathSync(onPath)) : undefined;
  } catch {
    return undefined;
  }
}

const dir = kubectlDir();

/** The path of kubectl 1.<minor>, if installed. */
export function kubectlBinary(minor: number): string | undefined {
  const path = dir && join(dir, `kubectl.1.${minor}`);
  return path && existsSync(path) ? path : undefined;
}
