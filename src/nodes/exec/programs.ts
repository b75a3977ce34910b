// The simulated programs by name, which of them an image ships (its $PATH), and how a command name or path is
// found on it. `sh` and `bash` are the shell itself (shell.ts); everything else is a Command.
import type { Command } from "./command.js";
import type { ContainerContext } from "./container-context.js";
import { resolvePath } from "./container-fs.js";
import { FILE_COMMANDS } from "./file-commands.js";
import { HTTP_COMMANDS } from "./http-commands.js";
import type { ImageProfile } from "./image-profile.js";
import { SYSTEM_COMMANDS } from "./system-commands.js";

export const PROGRAMS: Readonly<Record<string, Command>> = {
  ...FILE_COMMANDS,
  ...SYSTEM_COMMANDS,
  ...HTTP_COMMANDS,
};

/** Programs only some images ship (image-profile.ts `extras`). */
const OPTIONAL = new Set(["bash", "curl", "wget", "nslookup"]);

/** Every shell has these built in, whatever the image ships. */
export const SHELL_UTILITIES: ReadonlySet<string> = new Set([
  "echo",
  "printf",
  "pwd",
  "true",
  "false",
  "test",
  "[",
]);

export const SHELLS: ReadonlySet<string> = new Set(["sh", "bash"]);

/** The executables on the image's $PATH. */
export function imageBinaries(profile: ImageProfile): Set<string> {
  if (profile.shell === "none") return new Set();
  const names = new Set(["sh", ...Object.keys(PROGRAMS)].filter((n) => !OPTIONAL.has(n)));
  for (const extra of profile.extras) names.add(extra);
  return names;
}

/**
 * The program a command name runs: a name is looked up on $PATH, a path must be an executable file of the
 * image. Returns the program's name (e.g. "cat" for /bin/cat), or undefined when there is none.
 */
export function findProgram(
  ctx: Pick<ContainerContext, "binaries" | "fs">,
  name: string,
  cwd: string,
): string | undefined {
  if (!name.includes("/")) return ctx.binaries.has(name) ? name : undefined;
  const entry = ctx.fs.get(resolvePath(cwd, name));
  if (entry?.type !== "file" || !entry.executable) return undefined;
  const base = name.slice(name.lastIndexOf("/") + 1);
  return ctx.binaries.has(base) ? base : undefined;
}
