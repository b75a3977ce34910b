// The path and query parameters of Kubernetes REST operations, grouped by operation. kubectl looks for
// `fieldValidation` among a PATCH operation's own (inline) parameters to decide whether the server validates
// fields itself, so every write operation lists it.

import type { ParameterSpec } from "./api-model.js";

const query = (name: string, type: ParameterSpec["type"], description: string): ParameterSpec => ({
  name,
  in: "query",
  type,
  description,
});

export const PRETTY = query("pretty", "string", "If 'true', the output is indented.");

export const NAME_PATH = (kind: string): ParameterSpec => ({
  name: "name",
  in: "path",
  type: "string",
  required: true,
  description: `Name of the ${kind}.`,
});

export const NAMESPACE_PATH: ParameterSpec = {
  name: "namespace",
  in: "path",
  type: "string",
  required: true,
  description: "Namespace of the object.",
};

const DRY_RUN = query(
  "dryRun",
  "string",
  "When 'All', the request goes through every stage (admission, validation) but nothing is persisted.",
);
const FIELD_MANAGER = query(
  "fieldManager",
  "string",
  "Name of the actor making the change, recorded in managedFields. Required for apply patches.",
);
export const FIELD_VALIDATION = query(
  "fieldValidation",
  "string",
  "What the server does with unknown or duplicate fields in the body: 'Ignore' drops them, 'Warn' drops them " +
    "and answers with a warning for each, 'Strict' rejects the request with a BadRequest naming them.",
);
const FORCE = query(
  "force",
  "boolean",
  "For apply patches only: take ownership of fields other managers own.",
);

const LIST = [
  query(
    "allowWatchBookmarks",
    "boolean",
    "With watch, ask for BOOKMARK events that carry a resource version.",
  ),
  query("continue", "string", "Token from the previous page's metadata.continue, to read the next page."),
  query("fieldSelector", "string", "Restrict the list to objects whose fields match, e.g. spec.nodeName=n1."),
  query("labelSelector", "string", "Restrict the list to objects whose labels match, e.g. app=web,tier!=db."),
  query("limit", "integer", "Maximum number of items in one page; a continue token comes with the rest."),
  query("resourceVersion", "string", "The resource version to list at or watch from."),
  query("resourceVersionMatch", "string", "How resourceVersion applies to a list: Exact or NotOlderThan."),
  query("sendInitialEvents", "boolean", "With watch, start with ADDED events for the current objects."),
  query("timeoutSeconds", "integer", "Ends a list or watch after this many seconds."),
  query("watch", "boolean", "Stream changes (ADDED, MODIFIED, DELETED) instead of returning a list."),
];

const DELETE = [
  DRY_RUN,
  query("gracePeriodSeconds", "integer", "Seconds the object gets before deletion; 0 deletes immediately."),
  query("orphanDependents", "boolean", "Deprecated: use propagationPolicy."),
  query("propagationPolicy", "string", "How dependents are deleted: Orphan, Background or Foreground."),
];

const LOG = [
  query("container", "string", "The container whose log to read; defaults to the only container."),
  query("follow", "boolean", "Keep the stream open and send new lines as they are written."),
  query("limitBytes", "integer", "Stop after this many bytes."),
  query("previous", "boolean", "Read the log of the previous, terminated instance of the container."),
  query("sinceSeconds", "integer", "Only lines newer than this many seconds."),
  query("tailLines", "integer", "Only the last this many lines."),
  query("timestamps", "boolean", "Prefix every line with its RFC 3339 timestamp."),
];

/** Query parameters by Kubernetes action. */
export const QUERY_PARAMETERS = {
  get: [],
  list: LIST,
  create: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION],
  update: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION],
  patch: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, FORCE],
  delete: DELETE,
  deletecollection: [...DELETE, ...LIST.filter((p) => !["allowWatchBookmarks", "watch"].includes(p.name))],
  log: LOG,
} satisfies Record<string, ParameterSpec[]>;
