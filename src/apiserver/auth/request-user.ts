// The user a request acts as, carried through asynchronous calls (Go's request context): the HTTP server and
// the in-process client set it, admission plugins deep inside the registry read it. No user means a trusted
// in-process caller (the API server itself), which upstream identifies as the loopback system:apiserver.
import { AsyncLocalStorage } from "node:async_hooks";
import type { UserInfo } from "./user-info.js";

const storage = new AsyncLocalStorage<UserInfo>();

/** Runs `fn` with `user` as the requesting user of everything it calls, however deep or asynchronous. */
export function runAsUser<T>(user: UserInfo, fn: () => T): T {
  return storage.run(user, fn);
}

/** The requesting user of the current call, or undefined inside the server's own trusted work. */
export function requestUser(): UserInfo | undefined {
  return storage.getStore();
}
