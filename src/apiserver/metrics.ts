// Prometheus metrics of the API server, named as the kube-apiserver names them.
import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

export class ApiMetrics {
  readonly registry = new Registry();
  private readonly duration = new Histogram({
    name: "apiserver_request_duration_seconds",
    help: "Response latency distribution in seconds for each verb and resource.",
    labelNames: ["verb", "resource"],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  private readonly commits = new Histogram({
    name: "everynode_storage_commit_duration_seconds",
    help: "Time from a storage batch's commit to its acknowledgement (the transaction and the WAL sync).",
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });
  private readonly total = new Counter({
    name: "apiserver_request_total",
    help: "Counter of apiserver requests broken out by verb, resource and HTTP response code.",
    labelNames: ["verb", "resource", "code"],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  observeRequest(verb: string, resource: string, code: number, seconds: number): void {
    this.duration.observe({ verb, resource }, seconds);
    this.total.inc({ verb, resource, code: String(code) });
  }

  /** One durable storage batch: how long it took from commit to acknowledgement. */
  observeCommit(seconds: number): void {
    this.commits.observe(seconds);
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
