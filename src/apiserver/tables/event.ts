// core/v1 Event rows for `kubectl get events`: LAST SEEN, TYPE, REASON, OBJECT, MESSAGE, and the wide
// SUBOBJECT, SOURCE, FIRST SEEN, COUNT and NAME, in upstream's column order.
import type { Event } from "kubernetes-types/core/v1.js";
import { column } from "./columns.js";
import { since, timestampMs } from "./format.js";
import type { TablePrinter } from "./types.js";

/** "kind/name" of the involved object in lower-case kind, or just the kind when it has no name. */
export function eventTarget(event: Event): string {
  const kind = (event.involvedObject?.kind ?? "").toLowerCase();
  const name = event.involvedObject?.name;
  return name ? `${kind}/${name}` : kind;
}

/** "component, host", falling back to the reporting controller/instance the events.k8s.io API sets. */
export function eventSource(event: Event): string {
  const component = event.source?.component || event.reportingComponent || "";
  const instance = event.source?.host || event.reportingInstance || "";
  return instance ? `${component}, ${instance}` : component;
}

/** First seen, last seen and count, from the legacy fields or the newer eventTime/series ones. */
function eventTimes(event: Event, now: number): { first: string; last: string; count: number } {
  const first =
    timestampMs(event.firstTimestamp) !== undefined
      ? since(event.firstTimestamp, now)
      : since(event.eventTime, now);
  let last = timestampMs(event.lastTimestamp) !== undefined ? since(event.lastTimestamp, now) : first;
  let count = event.count ?? 0;
  if (event.series) {
    last = since(event.series.lastObservedTime, now);
    count = event.series.count ?? 0;
  } else if (count === 0) {
    count = 1; // Events from the newer API are singletons without a count.
  }
  return { first, last, count };
}

export const eventPrinter: TablePrinter<Event> = {
  columns: [
    column("Last Seen", "string", "Time since the event was last observed."),
    column("Type", "string", "Type of the event: Normal or Warning."),
    column("Reason", "string", "Short machine-readable cause of the event."),
    column("Object", "string", "The object the event is about (involvedObject)."),
    column("Subobject", "string", "Part of the object the event is about, such as a container.", {
      wide: true,
    }),
    column("Source", "string", "Component (and host) that reported the event.", { wide: true }),
    column("Message", "string", "Human-readable description of the event."),
    column("First Seen", "string", "Time since the event was first observed.", { wide: true }),
    column("Count", "string", "How many times the event has occurred.", { wide: true }),
    column("Name", "string", "Name of the Event object.", { format: "name", wide: true }),
  ],
  cells(event, now) {
    const times = eventTimes(event, now);
    return [
      times.last,
      event.type ?? "",
      event.reason ?? "",
      eventTarget(event),
      event.involvedObject?.fieldPath ?? "",
      eventSource(event),
      (event.message ?? "").trim(),
      times.first,
      times.count,
      event.metadata?.name ?? "",
    ];
  },
};
