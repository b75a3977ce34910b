// Rows for the small kinds whose columns are a count or one field: Namespace, ConfigMap, Secret,
// ServiceAccount and Lease.
import type { Lease } from "kubernetes-types/coordination/v1.js";
import type { ConfigMap, Namespace, Secret, ServiceAccount } from "kubernetes-types/core/v1.js";
import { ageColumn, column, nameColumn } from "./columns.js";
import { since } from "./format.js";
import type { TablePrinter } from "./types.js";

const countKeys = (map: object | null | undefined): number => (map ? Object.keys(map).length : 0);

export const namespacePrinter: TablePrinter<Namespace> = {
  columns: [
    nameColumn,
    column("Status", "string", "Phase of the namespace: Active or Terminating."),
    ageColumn,
  ],
  cells: (ns, now) => [
    ns.metadata?.name ?? "",
    ns.status?.phase ?? "",
    since(ns.metadata?.creationTimestamp, now),
  ],
};

export const configMapPrinter: TablePrinter<ConfigMap> = {
  columns: [nameColumn, column("Data", "string", "Number of keys in data and binaryData."), ageColumn],
  cells: (cm, now) => [
    cm.metadata?.name ?? "",
    countKeys(cm.data) + countKeys(cm.binaryData),
    since(cm.metadata?.creationTimestamp, now),
  ],
};

export const secretPrinter: TablePrinter<Secret> = {
  columns: [
    nameColumn,
    column("Type", "string", "Type of the secret, which says how its data is used."),
    column("Data", "string", "Number of keys in data."),
    ageColumn,
  ],
  cells: (secret, now) => [
    secret.metadata?.name ?? "",
    secret.type ?? "",
    countKeys(secret.data),
    since(secret.metadata?.creationTimestamp, now),
  ],
};

export const serviceAccountPrinter: TablePrinter<ServiceAccount> = {
  columns: [nameColumn, column("Secrets", "string", "Number of secrets listed for the account."), ageColumn],
  cells: (sa, now) => [
    sa.metadata?.name ?? "",
    sa.secrets?.length ?? 0,
    since(sa.metadata?.creationTimestamp, now),
  ],
};

export const leasePrinter: TablePrinter<Lease> = {
  columns: [
    nameColumn,
    column("Holder", "string", "Identity of the current holder of the lease."),
    ageColumn,
  ],
  cells: (lease, now) => [
    lease.metadata?.name ?? "",
    lease.spec?.holderIdentity ?? "",
    since(lease.metadata?.creationTimestamp, now),
  ],
};
