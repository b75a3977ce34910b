// The etcd backend, for clusters that outgrow one machine's SQLite file: the revisioned key-value contract maps
// one to one onto etcd v3 (its revision is the resourceVersion, as in the kube-apiserver). Conditional writes
// are transactions comparing a key's create or mod revision; watches are etcd watches with previous values;
// compaction is etcd's own.

import { ConsecutiveBreaker, circuitBreaker, handleWhen, noop } from "cockatiel";
import { type CallContext, Etcd3, type IKeyValue, type IResponseOp, isRecoverableError } from "etcd3";
import { KeyedMutex } from "../../util/keyed-mutex.js";
import type { Backend, KeyValue, ListOptions, ListResult, Watch, WatchOptions } from "../backend.js";
import { compareKeys } from "../key-order.js";
import {
  closedError,
  compactedError,
  conflictError,
  keyExistsError,
  notFoundError,
  unavailableError,
} from "../storage-errors.js";
import { deletedKv, freezeKv } from "../write-ops.js";
import { parseEtcdUrl } from "./etcd-url.js";
import { KeySpace } from "./key-bytes.js";
import { PrefixWatch } from "./prefix-watch.js";

/** How long opening waits for etcd to answer before saying it cannot be reached. */
const CONNECT_TIMEOUT_MS = 5000;
/** Lists of thousands of objects arrive in one gRPC message; gRPC's default cap is 4 MiB. */
const MAX_RECEIVE_BYTES = 512 * 1024 * 1024;
/** A request etcd has not answered by then fails as unavailable (watch streams have no deadline). */
const REQUEST_TIMEOUT_MS = 30_000;
/**
 * After three failures in a row the client stops sending to an endpoint, then tries it again after this long. The
 * client's default, five seconds, kept answering 503 for seconds after a restarted etcd was back.
 */
const RETRY_ENDPOINT_AFTER_MS = 1000;

/** The TLS files of an etcd that requires TLS (kube-apiserver's --etcd-cafile, --etcd-certfile, --etcd-keyfile). */
export interface EtcdTls {
  /** PEM of the CA that signed etcd's serving certificate. */
  ca: string;
  /** PEM of a client certificate and its key, for an etcd that authenticates clients (--client-cert-auth). */
  cert?: string;
  key?: string;
}

export interface EtcdBackendOptions {
  tls?: EtcdTls;
  /** Told of every acknowledged write: seconds from sending it to etcd's answer (for /metrics). */
  onCommit?: (seconds: number) => void;
}

export class EtcdBackend implements Backend {
  /**
   * Writes to one key go one after another, in the order they were issued: etcd serves concurrent requests in any
   * order, so two writes to one key sent together could land reversed (a delete before the create it follows).
   */
  private readonly order = new KeyedMutex();
  private readonly watches = new Set<PrefixWatch>();
  /**
   * The highest revision this backend has written or seen on a watch. Reads do not raise it: etcd's revision
   * counts writes to every key, also outside this backend's namespace, and a revision no watch here will ever
   * deliver must not become something callers wait for.
   */
  private head: number;
  /** The highest compacted revision known here (this backend's compactions, or etcd's word on a watch). */
  private compacted = 0;
  private closed = false;

  private constructor(
    private readonly client: Etcd3,
    private readonly keys: KeySpace,
    /** The endpoints as URLs, for messages: "etcd at https://10.0.0.1:2379". */
    readonly endpoints: string,
    head: number,
    private readonly options: EtcdBackendOptions,
  ) {
    this.head = head;
  }

  /** Connects to the etcd at `url` (etcd://host:port[,host:port…][/prefix]) and reads its current revision. */
  static async open(url: string, options: EtcdBackendOptions = {}): Promise<EtcdBackend> {
    const location = parseEtcdUrl(url);
    const { tls } = options;
    const endpoints = location.hosts.map((host) => `${tls ? "https" : "http"}://${host}`).join(", ");
    const client = new Etcd3({
      hosts: location.hosts,
      credentials: tls && {
        rootCertificate: Buffer.from(tls.ca),
        certChain: tls.cert === undefined ? undefined : Buffer.from(tls.cert),
        privateKey: tls.key === undefined ? undefined : Buffer.from(tls.key),
      },
      faultHandling: {
        // No automatic retries: a write etcd applied but whose answer was lost would, retried, fail its own
        // compare and come back as a 409 or 404 (or, for a generated name, create a second object). A failed
        // request is reported as Unavailable and the API client retries, as against a kube-apiserver.
        global: noop,
        host: () =>
          circuitBreaker(handleWhen(isRecoverableError), {
            halfOpenAfter: RETRY_ENDPOINT_AFTER_MS,
            breaker: new ConsecutiveBreaker(3),
          }),
      },
      grpcOptions: {
        "grpc.max_receive_message_length": MAX_RECEIVE_BYTES,
        // A watch on a connection that died quietly is noticed by pings, not only when a request fails.
        "grpc.keepalive_time_ms": 30_000,
        "grpc.keepalive_timeout_ms": 10_000,
        "grpc.keepalive_permit_without_calls": 1,
      },
      defaultCallOptions: (call: CallContext) =>
        call.isStream ? {} : { deadline: Date.now() + REQUEST_TIMEOUT_MS },
    });
    const keys = new KeySpace(location.prefix);
    try {
      const res = await client.kv.range(
        { ...keys.range(""), count_only: true },
        { deadline: Date.now() + CONNECT_TIMEOUT_MS },
      );
      return new EtcdBackend(client, keys, endpoints, Number(res.header.revision), options);
    } catch (err) {
      client.close();
      throw new Error(
        `cannot reach etcd at ${endpoints} (${(err as Error).message}): start etcd there, or pass another --store` +
          (tls ? " (and check the --etcd-* TLS files)" : ""),
      );
    }
  }

  currentRevision(): number {
    return this.head;
  }

  compactedRevision(): number {
    return this.compacted;
  }

  async get(key: string): Promise<KeyValue | undefined> {
    this.assertOpen(key);
    const res = await this.request(key, () => this.client.kv.range({ key: this.keys.key(key) }));
    return res.kvs.length > 0 ? this.keys.keyValue(res.kvs[0]) : undefined;
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    this.assertOpen(prefix);
    const range = this.keys.range(prefix);
    const { startAfter } = options;
    // Paging resumes just after `startAfter` (its successor is startAfter + "\0"), never before the prefix.
    const key =
      startAfter !== undefined && compareKeys(startAfter, prefix) >= 0
        ? this.keys.key(`${startAfter}\0`)
        : range.key;
    const limit = options.limit && options.limit > 0 ? options.limit : 0;
    const res = await this.request(prefix, () =>
      this.client.kv.range({ key, range_end: range.range_end, limit, sort_order: "Ascend" }),
    );
    const items = res.kvs.map((kv) => this.keys.keyValue(kv));
    return { items, revision: Number(res.header.revision), more: res.more };
  }

  async count(prefix: string): Promise<number> {
    this.assertOpen(prefix);
    const res = await this.request(prefix, () =>
      this.client.kv.range({ ...this.keys.range(prefix), count_only: true }),
    );
    return Number(res.count);
  }

  create(key: string, value: string): Promise<KeyValue> {
    return this.write(key, async (k) => {
      const res = await this.client.kv.txn({
        compare: [{ key: k, target: "Create", result: "Equal", create_revision: 0 }],
        success: [{ request_put: { key: k, value: Buffer.from(value) } }],
        failure: [{ request_range: { key: k } }],
      });
      const revision = Number(res.header.revision);
      if (!res.succeeded) throw keyExistsError(key, modRevisionOf(storedKv(res.responses)));
      return freezeKv(key, value, revision, revision);
    });
  }

  update(key: string, value: string, expectedRevision: number): Promise<KeyValue> {
    return this.write(key, async (k) => {
      const res = await this.client.kv.txn({
        compare: existsAt(k, expectedRevision),
        success: [{ request_put: { key: k, value: Buffer.from(value), prev_kv: true } }],
        failure: [{ request_range: { key: k } }],
      });
      if (!res.succeeded) throw this.writeRefused(key, expectedRevision, storedKv(res.responses));
      const previous = res.responses[0].response_put.prev_kv;
      return freezeKv(key, value, Number(previous.create_revision), Number(res.header.revision));
    });
  }

  delete(key: string, expectedRevision?: number): Promise<KeyValue> {
    return this.write(key, async (k) => {
      const removal = { request_delete_range: { key: k, prev_kv: true } };
      const res = await this.client.kv.txn({
        compare: existsAt(k, expectedRevision),
        success: [removal],
        failure: [{ request_range: { key: k } }],
      });
      if (!res.succeeded) throw this.writeRefused(key, expectedRevision, storedKv(res.responses));
      const last = this.keys.keyValue(res.responses[0].response_delete_range.prev_kvs[0]);
      return deletedKv(last, Number(res.header.revision));
    });
  }

  watch(prefix: string, options: WatchOptions): Watch {
    this.assertOpen(prefix);
    if (options.fromRevision > 0 && options.fromRevision < this.compacted) {
      throw compactedError(prefix, options.fromRevision, this.compacted);
    }
    // "From now" starts after this backend's head: a write another client made since, not yet seen here, is
    // delivered too (watch() is synchronous, and etcd's own revision would need a request).
    const after = options.fromRevision > 0 ? options.fromRevision : this.head;
    const watch = new PrefixWatch(this.client, this.keys, prefix, after, options, {
      observed: (revision) => this.observe(revision),
      compacted: (revision) => {
        this.compacted = Math.max(this.compacted, revision);
      },
      ended: (w) => this.watches.delete(w),
    });
    this.watches.add(watch);
    return watch;
  }

  /** Compacts etcd's history at or below `revision` (never past this backend's head, never backwards). */
  async compact(revision: number): Promise<void> {
    if (this.closed) throw closedError();
    const target = Math.min(revision, this.head);
    if (target <= this.compacted) return;
    try {
      await this.request("", () => this.client.kv.compact({ revision: target }));
    } catch (err) {
      // Someone (another apiserver, etcd's own auto-compaction) compacted further already: nothing to do.
      if (!/required revision has been compacted/.test((err as Error).message)) throw err;
    }
    this.compacted = Math.max(this.compacted, target);
  }

  /** Lets writes already accepted finish, ends every watch with "Closed", and closes the connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.order.idle();
    for (const watch of [...this.watches]) watch.fail(closedError());
    this.client.close();
  }

  private write(key: string, run: (etcdKey: Buffer) => Promise<KeyValue>): Promise<KeyValue> {
    if (this.closed) return Promise.reject(closedError(key));
    return this.order.run(key, async () => {
      const sent = performance.now();
      const kv = await this.request(key, () => run(this.keys.key(key)));
      this.options.onCommit?.((performance.now() - sent) / 1000);
      this.observe(kv.modRevision);
      return kv;
    });
  }

  /** Runs requests to etcd, reporting an etcd that does not answer as the storage error "Unavailable". */
  private async request<T>(key: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if (!unanswered(err)) throw err;
      throw unavailableError(key, `etcd at ${this.endpoints}`, err as Error);
    }
  }

  /** Why a conditional write did not apply, from the key as etcd holds it. */
  private writeRefused(
    key: string,
    expectedRevision: number | undefined,
    stored: IKeyValue | undefined,
  ): Error {
    if (!stored) return notFoundError(key);
    return conflictError(key, modRevisionOf(stored), expectedRevision ?? 0);
  }

  private observe(revision: number): void {
    if (revision > this.head) this.head = revision;
  }

  private assertOpen(key: string): void {
    if (this.closed) throw closedError(key);
  }
}

/** etcd did not answer: down, unreachable, too slow, or the client gave up on it for a while (circuit open). */
function unanswered(err: unknown): boolean {
  // etcd3 marks its Unavailable, DeadlineExceeded and other transient gRPC errors as recoverable.
  if (!(err instanceof Error)) return false;
  return isRecoverableError(err) || (err as { isBrokenCircuitError?: boolean }).isBrokenCircuitError === true;
}

/** The key exists, and (when a revision is expected) was last written at exactly that revision. */
function existsAt(key: Buffer, expectedRevision: number | undefined) {
  const exists = { key, target: "Create" as const, result: "Greater" as const, create_revision: 0 };
  if (expectedRevision === undefined) return [exists];
  return [exists, { key, target: "Mod" as const, result: "Equal" as const, mod_revision: expectedRevision }];
}

/** The key's stored value as a failed transaction's range read it (absent when the key does not exist). */
const storedKv = (responses: IResponseOp[]): IKeyValue | undefined => responses[0]?.response_range?.kvs[0];

const modRevisionOf = (kv: IKeyValue | undefined): number => Number(kv?.mod_revision ?? 0);
