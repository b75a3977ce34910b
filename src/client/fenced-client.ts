// A client whose writes stop once a signal aborts: a leader's components keep reading while they shut down, but
// cannot write after their term of leadership has ended, when another leader may already be writing.
import { ApiError } from "../api/errors.js";
import type { Client } from "./client.js";

const WRITES = new Set<string | symbol>(["create", "update", "patch", "delete", "createSubresource"]);

export function fencedClient<C extends Client>(client: C, fence: AbortSignal, why: () => string): C {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      if (!WRITES.has(property)) return value.bind(target);
      return (...args: unknown[]) =>
        fence.aborted
          ? Promise.reject(new ApiError(503, "ServiceUnavailable", why()))
          : (value as (...a: unknown[]) => unknown).apply(target, args);
    },
  });
}
