// What a watcher with selectors sees of one change, whichever source the change came from: objects entering the
// selection arrive as ADDED, leaving it as DELETED, as upstream's watch filtering does.
import { ApiError } from "../../api/errors.js";
import type { KubeObject } from "../../api/object.js";
import type { CacheEvent } from "../watchcache/resource-cache.js";
import type { WatchEvent } from "./object-source.js";

export type WatchFilter = (e: CacheEvent) => WatchEvent | undefined;

/** The filter for a watch on `namespace` (undefined: all) with the selection `match`. */
export function watchFilter(namespace: string | undefined, match: (obj: KubeObject) => boolean): WatchFilter {
  return (e) => {
    if (namespace !== undefined && e.object.metadata.namespace !== namespace) return undefined;
    const prev = e.prevObject !== undefined && match(e.prevObject);
    if (e.type === "DELETED")
      return prev || match(e.object) ? { type: "DELETED", object: e.object, shared: e } : undefined;
    const cur = match(e.object);
    if (cur && prev) return { type: "MODIFIED", object: e.object, shared: e };
    if (cur) return { type: "ADDED", object: e.object, shared: e };
    if (prev) {
      // The object left the selection: upstream sends DELETED with the previous state at the new revision.
      const gone = {
        ...e.prevObject!,
        metadata: { ...e.prevObject!.metadata, resourceVersion: String(e.rv) },
      };
      return { type: "DELETED", object: gone };
    }
    return undefined;
  };
}

/** Applies `filter` to a batch, keeping what the watcher sees. */
export function filterEvents(events: readonly CacheEvent[], filter: WatchFilter): WatchEvent[] {
  const out: WatchEvent[] = [];
  for (const e of events) {
    const w = filter(e);
    if (w) out.push(w);
  }
  return out;
}

/** The revision a watch resumes after; undefined for "" and "0" (send the current objects first). */
export function watchStartRevision(resourceVersion: string): number | undefined {
  if (resourceVersion === "" || resourceVersion === "0") return undefined;
  const rv = Number(resourceVersion);
  if (!Number.isInteger(rv) || rv < 0)
    throw ApiError.badRequest(`invalid resource version: ${resourceVersion}`);
  return rv;
}
