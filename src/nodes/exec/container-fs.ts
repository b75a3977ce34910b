// The read-only file tree an exec session sees: absolute, normalised paths to directories and files (text, with
// an executable bit for the binaries on $PATH). Built per session from the pod (container-files.ts); there is
// no writable layer.

export type FsEntry = { type: "dir" } | { type: "file"; content: string; executable: boolean };

/** Joins `path` onto `cwd` and resolves `.`, `..` and repeated slashes. */
export function resolvePath(cwd: string, path: string): string {
  const parts: string[] = [];
  for (const part of `${path.startsWith("/") ? "" : cwd}/${path}`.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return `/${parts.join("/")}`;
}

const parentOf = (path: string): string => (path === "/" ? "/" : path.slice(0, path.lastIndexOf("/")) || "/");
const baseName = (path: string): string => path.slice(path.lastIndexOf("/") + 1);

export class ContainerFs {
  private readonly entries = new Map<string, FsEntry>([["/", { type: "dir" }]]);
  private readonly children = new Map<string, Set<string>>([["/", new Set()]]);

  addDir(path: string): void {
    const p = resolvePath("/", path);
    if (this.entries.get(p)?.type === "dir") return;
    this.link(p, { type: "dir" });
    this.children.set(p, this.children.get(p) ?? new Set());
  }

  addFile(path: string, content: string, executable = false): void {
    this.link(resolvePath("/", path), { type: "file", content, executable });
  }

  get(path: string): FsEntry | undefined {
    return this.entries.get(path);
  }

  /** Names inside a directory, sorted as `ls` sorts them (byte order in the C locale). */
  list(dir: string): string[] {
    return [...(this.children.get(dir) ?? [])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  private link(path: string, entry: FsEntry): void {
    if (path === "/") return;
    const parent = parentOf(path);
    this.addDir(parent);
    // A file replaces whatever was there (a subPath mount over an image file).
    this.entries.set(path, entry);
    this.children.get(parent)?.add(baseName(path));
  }
}
