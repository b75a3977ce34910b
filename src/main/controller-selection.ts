// kube-controller-manager's --controllers list: "*" enables every controller, "name" enables one, "-name"
// disables one, the first entry that names a controller decides, and a list without "*" enables only what it
// names. Names are upstream's (daemonset-controller, …); the short names from before 1.28 are accepted too.

/** The controllers everynode runs in `up`, by kube-controller-manager's names, with their older short names. */
export const CONTROLLERS = {
  "daemonset-controller": "daemonset",
  "garbage-collector-controller": "garbagecollector",
  "pod-garbage-collector-controller": "podgc",
  "node-lifecycle-controller": "nodelifecycle",
  "node-ipam-controller": "nodeipam",
  "resourcequota-controller": "resourcequota",
  "serviceaccount-controller": "serviceaccount",
  "disruption-controller": "disruption",
  "endpoints-controller": "endpoint",
  "endpointslice-controller": "endpointslice",
} as const;

export type ControllerName = keyof typeof CONTROLLERS;

export type ControllerSelection = (name: ControllerName) => boolean;

export const ALL_CONTROLLERS: ControllerSelection = () => true;

const byAlias = new Map<string, ControllerName>(
  Object.entries(CONTROLLERS).flatMap(([name, alias]) => [
    [name, name as ControllerName],
    [alias, name as ControllerName],
  ]),
);

/** Reads a --controllers value ("*,-daemonset-controller"); throws on a name no controller has. */
export function parseControllers(flag: string): ControllerSelection {
  const entries = flag
    .split(",")
    .map((e) => e.trim())
    .filter((e) => e !== "");
  const rules: { name: ControllerName; enabled: boolean }[] = [];
  let star = false;
  for (const entry of entries) {
    if (entry === "*") {
      star = true;
      continue;
    }
    const disabled = entry.startsWith("-");
    const name = byAlias.get(disabled ? entry.slice(1) : entry);
    if (!name) {
      throw new Error(
        `--controllers: "${entry}" is not in the list of known controllers (${Object.keys(CONTROLLERS).join(", ")})`,
      );
    }
    rules.push({ name, enabled: !disabled });
  }
  return (name) => rules.find((r) => r.name === name)?.enabled ?? star;
}
