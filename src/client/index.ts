// The client package: the Client interface, its HTTP transport, kubeconfig loading and rate limiting. The
// in-process transport is apiserver/local-client.ts (client/ never depends on the server).
export type {
  Client,
  DeleteOptions,
  ListOptions,
  ObjectList,
  PatchType,
  ResourceType,
  WatchEvent,
  WatchEventType,
  WatchOptions,
  WriteOptions,
} from "./client.js";
export { HttpClient, type HttpClientOptions } from "./http-client.js";
export {
  clientFromKubeconfig,
  defaultKubeconfigPath,
  fileTokenSource,
  httpClientOptions,
  KubeconfigError,
  loadKubeconfig,
  parseKubeconfig,
  type ResolvedKubeconfig,
} from "./kubeconfig.js";
export { type RateLimiter, rateLimiterFor, TokenBucketRateLimiter, UNLIMITED } from "./rate-limiter.js";
export { sleep, systemTimer, type Timer } from "./timing.js";
