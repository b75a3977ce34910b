// Streams a watch: chunked JSON lines of {"type","object"} with headers flushed at once (kubectl's informers
// wait for them), optional BOOKMARKs, Table rows for `kubectl get -w`, and a clean close at timeoutSeconds.
import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError } from "../../api/errors.js";
import { groupVersion } from "../../api/resources.js";
import type { RegistryStore, WatchEvent } from "../registry/store.js";
import { buildTable } from "../tables/index.js";
import { responseFormat } from "./negotiate.js";
import type { ResourceHandlerContext } from "./resource-handler.js";

/** Bytes buffered for a watcher that does not read before it is dropped (it re-lists and watches again). */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;
/** How often a watch that allows bookmarks receives one. */
const BOOKMARK_INTERVAL_MS = 60_000;
/** Upstream's default watch lifetime is randomised between 30 and 60 minutes. */
const DEFAULT_TIMEOUT_S = 1800;

export async function serveWatch(
  ctx: ResourceHandlerContext,
  store: RegistryStore,
  namespace: string | undefined,
  q: URLSearchParams,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const asTable = responseFormat(req.headers.accept) === "table";
  const includeObject = (q.get("includeObject") as "None" | "Metadata" | "Object" | null) ?? "Metadata";
  const tableKind = `${store.info.group}/${store.info.kind}`;
  let headersSentForTable = false;
  const timeoutS = Number(q.get("timeoutSeconds") ?? DEFAULT_TIMEOUT_S * (1 + Math.random()));
  let closed = false;

  const encode = (e: WatchEvent): string => {
    if (asTable) {
      const table = buildTable(tableKind, [e.object], {
        now: ctx.now(),
        includeObject,
        resourceVersion: e.object.metadata.resourceVersion,
        omitHeaders: headersSentForTable,
      });
      headersSentForTable = true;
      return `{"type":"${e.type}","object":${JSON.stringify(table)}}\n`;
    }
    let json: string;
    if (e.shared) {
      if (e.shared.json === undefined) e.shared.json = JSON.stringify(e.shared.object);
      json = e.shared.json;
    } else {
      json = JSON.stringify(e.object);
    }
    return `{"type":"${e.type}","object":${json}}\n`;
  };

  const write = (text: string) => {
    if (closed) return;
    res.write(text);
    if (res.writableLength > MAX_BUFFERED_BYTES) finish();
  };

  let handle: { stop(): void } | undefined;
  let timers: NodeJS.Timeout[] = [];
  const finish = () => {
    if (closed) return;
    closed = true;
    handle?.stop();
    for (const t of timers) clearTimeout(t);
    timers = [];
    res.end();
  };

  let pending: WatchEvent[] | undefined = [];
  let endedBy: ApiError | undefined;
  try {
    handle = await store.watch(
      namespace,
      {
        labelSelector: q.get("labelSelector") ?? undefined,
        fieldSelector: q.get("fieldSelector") ?? undefined,
        resourceVersion: q.get("resourceVersion") ?? undefined,
      },
      {
        send: (events) => {
          if (pending) {
            pending.push(...events);
            return;
          }
          for (const e of events) write(encode(e));
        },
        // The server ended the watch (storage closed, or compaction overtook a storage replay): one ERROR event.
        close: (error) => {
          if (pending) {
            endedBy = error;
            return;
          }
          write(errorEvent(error));
          finish();
        },
      },
    );
  } catch (e) {
    if (e instanceof ApiError && e.code === 410) {
      // A watch from a compacted revision answers 200 with one ERROR event, as the apiserver does.
      res.writeHead(200, { "Content-Type": "application/json", "Transfer-Encoding": "chunked" });
      res.end(errorEvent(e));
      return;
    }
    throw e;
  }
  res.writeHead(200, {
    "Content-Type": "application/json",
    "Transfer-Encoding": "chunked",
    "Cache-Control": "no-cache",
  });
  res.flushHeaders();
  const backlog = pending;
  pending = undefined;
  for (const e of backlog) write(encode(e));
  if (endedBy) {
    write(errorEvent(endedBy));
    finish();
    return;
  }

  timers.push(setTimeout(finish, timeoutS * 1000));
  // Bookmarks carry the cache's revision, which only watches fed by the cache are known to have reached.
  if (q.get("allowWatchBookmarks") === "true" && !asTable && ctx.registry.cacher.isCached(store.info)) {
    const bookmark = () => {
      const rv = String(ctx.registry.cacher.revision);
      write(
        `{"type":"BOOKMARK","object":{"kind":"${store.info.kind}","apiVersion":"${groupVersion(store.info)}","metadata":{"resourceVersion":"${rv}"}}}\n`,
      );
      timers.push(setTimeout(bookmark, BOOKMARK_INTERVAL_MS));
    };
    timers.push(setTimeout(bookmark, BOOKMARK_INTERVAL_MS));
  }
  req.on("close", finish);
  res.on("close", finish);
}

const errorEvent = (error: ApiError) => `{"type":"ERROR","object":${JSON.stringify(error.toStatus())}}\n`;
