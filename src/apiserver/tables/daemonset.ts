// DaemonSet rows for `kubectl get ds`: the status counters, the template's node selector, and the wide
// containers, images and pod selector.
import type { DaemonSet } from "kubernetes-types/apps/v1.js";
import { formatLabelSelector } from "../../api/labels.js";
import { ageColumn, column, containerColumns, nameColumn } from "./columns.js";
import { containerCells, formatLabels, since } from "./format.js";
import type { TablePrinter } from "./types.js";

export const daemonSetPrinter: TablePrinter<DaemonSet> = {
  columns: [
    nameColumn,
    column("Desired", "integer", "Nodes that should run the daemon pod (status.desiredNumberScheduled)."),
    column(
      "Current",
      "integer",
      "Nodes running at least one daemon pod that should (status.currentNumberScheduled).",
    ),
    column("Ready", "integer", "Nodes whose daemon pod is ready (status.numberReady)."),
    column("Up-to-date", "integer", "Nodes running the current template (status.updatedNumberScheduled)."),
    column("Available", "integer", "Nodes whose daemon pod is available (status.numberAvailable)."),
    column(
      "Node Selector",
      "string",
      "Node labels the daemon pods are restricted to (template nodeSelector).",
    ),
    ageColumn,
    ...containerColumns,
    column("Selector", "string", "Label query over the pods this DaemonSet manages (spec.selector).", {
      wide: true,
    }),
  ],
  cells(ds, now) {
    const status = ds.status;
    const podSpec = ds.spec?.template?.spec;
    const [names, images] = containerCells(podSpec?.containers);
    return [
      ds.metadata?.name ?? "",
      status?.desiredNumberScheduled ?? 0,
      status?.currentNumberScheduled ?? 0,
      status?.numberReady ?? 0,
      status?.updatedNumberScheduled ?? 0,
      status?.numberAvailable ?? 0,
      formatLabels(podSpec?.nodeSelector),
      since(ds.metadata?.creationTimestamp, now),
      names,
      images,
      formatLabelSelector(ds.spec?.selector),
    ];
  },
};
