// A PodHost for unit tests of simulated pods: one node, sequential container IDs, the images it holds, and the
// events it was asked to record (as "Type Reason: message").
import { DEFAULT_POD_TIMINGS, type PodHost, type PodTimings } from "./sim-pod.js";

export interface TestPodHostOptions {
  hostIP?: string;
  podIP?: string;
  maxLogLines?: number;
  timings?: Partial<PodTimings>;
}

export function testPodHost(o: TestPodHostOptions = {}): PodHost & { events: string[]; images: Set<string> } {
  let ids = 0;
  let ips = 1;
  const events: string[] = [];
  const images = new Set<string>();
  return {
    events,
    images,
    nodeName: "node1",
    hostIP: o.hostIP ?? "10.0.0.2",
    allocatePodIP: () => o.podIP ?? `10.244.1.${++ips}`,
    reservePodIP: () => {},
    timings: { ...DEFAULT_POD_TIMINGS, ...o.timings },
    maxLogLines: o.maxLogLines ?? 100,
    newContainerID: () => String(++ids).padStart(64, "0"),
    record: (_pod, type, reason, message) => events.push(`${type} ${reason}: ${message}`),
    hasImage: (image) => images.has(image),
    addImage: (image) => images.add(image),
  };
}
