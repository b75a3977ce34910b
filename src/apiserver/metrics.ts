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

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
