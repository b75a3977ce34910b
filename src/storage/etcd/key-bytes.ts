// etcd keys as bytes: a backend's keys live under its namespace prefix, and a key prefix becomes etcd's half-open
// range [key, range_end).
import type { IKeyValue } from "etcd3";
import type { KeyValue } from "../backend.js";
import { freezeKv } from "../write-ops.js";

/** etcd's "every key from here on" range end: one zero byte. */
const TO_THE_END = Buffer.from([0]);

/**
 * The smallest byte string greater than every key starting with `prefix` (etcd's clientv3.GetPrefixRangeEnd):
 * the last byte below 0xff is incremented after dropping the 0xff bytes that follow it. With no such byte, every
 * key from `prefix` on is in range.
 */
export function prefixRangeEnd(prefix: Buffer): Buffer {
  for (let i = prefix.length - 1; i >= 0; i--) {
    if (prefix[i] < 0xff) {
      const end = Buffer.from(prefix.subarray(0, i + 1));
      end[i]++;
      return end;
    }
  }
  return TO_THE_END;
}

/** Maps the backend's string keys to etcd's bytes under one namespace prefix, and back. */
export class KeySpace {
  private readonly namespace: Buffer;

  constructor(namespace: string) {
    this.namespace = Buffer.from(namespace);
  }

  key(key: string): Buffer {
    return Buffer.concat([this.namespace, Buffer.from(key)]);
  }

  /**
   * The etcd range of every key starting with `prefix`: `key` and `range_end` of a request. Keys begin with "/"
   * (the apiserver's all begin with /registry/), so the whole of namespace /a is /a/…, which leaves out /ab/….
   */
  range(prefix: string): { key: Buffer; range_end: Buffer } {
    const key = this.key(prefix === "" && this.namespace.length > 0 ? "/" : prefix);
    // The empty key is not a valid etcd key: the whole keyspace starts at the zero byte.
    return { key: key.length === 0 ? TO_THE_END : key, range_end: prefixRangeEnd(key) };
  }

  /** The backend key of an etcd key (its namespace prefix removed). */
  strip(key: Buffer): string {
    return key.subarray(this.namespace.length).toString();
  }

  /** A stored etcd KeyValue as the backend contract's (value as text, revisions as numbers). */
  keyValue(kv: IKeyValue): KeyValue {
    return freezeKv(
      this.strip(kv.key),
      kv.value.toString(),
      Number(kv.create_revision),
      Number(kv.mod_revision),
    );
  }
}
