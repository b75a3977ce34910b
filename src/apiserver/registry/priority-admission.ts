// The Priority admission plugin (plugin/pkg/admission/priority) and the system PriorityClasses: a new pod's
// priorityClassName (or the global default class) becomes spec.priority and spec.preemptionPolicy; a second
// global default class is refused; the built-in classes are created at start-up and cannot be deleted.
import { ApiError } from "../../api/errors.js";
import type { KubeObject } from "../../api/object.js";
import { PODS, PRIORITY_CLASSES, type ResourceInfo } from "../../api/resources.js";
import {
  DEFAULT_PRIORITY_WHEN_NO_DEFAULT_CLASS_EXISTS,
  SYSTEM_PRIORITY_CLASSES,
  systemPriorityClass,
  systemPriorityClassObject,
} from "../../api/scheduling/priority-classes.js";

/** What the plugin reads: the stored PriorityClasses (the registry's store, or a fake in tests). */
export interface PriorityClassReader {
  getOrUndefined(namespace: string, name: string): KubeObject | undefined;
  list(namespace: undefined): Promise<{ items: KubeObject[] }>;
}

/** admission.NewForbidden: `<resource>[.<group>] "<name>" is forbidden: <reason>`. */
export function admissionForbidden(
  r: Pick<ResourceInfo, "group" | "resource">,
  name: string,
  reason: string,
) {
  const qualified = r.group ? `${r.resource}.${r.group}` : r.resource;
  const details = r.group ? { name, group: r.group, kind: r.resource } : { name, kind: r.resource };
  return new ApiError(403, "Forbidden", `${qualified} "${name}" is forbidden: ${reason}`, details);
}

const isResource = (r: ResourceInfo, target: ResourceInfo) =>
  r.group === target.group && r.resource === target.resource;

export class PriorityAdmission {
  constructor(private readonly classes: () => PriorityClassReader) {}

  /**
   * Pods: resolves priority and preemptionPolicy from the class. PriorityClasses: at most one global default.
   * `messageName` is the name upstream's messages use (the generateName while the name is still to be made).
   */
  async admitCreate(r: ResourceInfo, obj: KubeObject, messageName: string): Promise<void> {
    if (isResource(r, PODS)) await this.admitPod(obj, messageName);
    else if (isResource(r, PRIORITY_CLASSES)) await this.checkSingleGlobalDefault(obj, messageName, "create");
  }

  async admitUpdate(r: ResourceInfo, obj: KubeObject): Promise<void> {
    if (isResource(r, PRIORITY_CLASSES))
      await this.checkSingleGlobalDefault(obj, obj.metadata.name ?? "", "update");
  }

  /** The system classes' REST storage refuses to delete them. */
  admitDelete(r: ResourceInfo, obj: KubeObject): void {
    const name = obj.metadata.name ?? "";
    if (isResource(r, PRIORITY_CLASSES) && systemPriorityClass(name)) {
      throw admissionForbidden(r, name, "this is a system priority class and cannot be deleted");
    }
  }

  private async admitPod(pod: KubeObject, name: string): Promise<void> {
    pod.spec ??= {};
    const spec = pod.spec;
    let priority: number;
    let preemptionPolicy: string | undefined;
    const className: string | undefined = spec.priorityClassName || undefined;
    if (className === undefined) {
      const fallback = await this.globalDefault();
      priority = fallback ? Number(fallback.value ?? 0) : DEFAULT_PRIORITY_WHEN_NO_DEFAULT_CLASS_EXISTS;
      preemptionPolicy = fallback?.preemptionPolicy;
      if (fallback) spec.priorityClassName = fallback.metadata.name;
    } else {
      const pc = this.classes().getOrUndefined("", className);
      if (!pc) throw admissionForbidden(PODS, name, `no PriorityClass with name ${className} was found`);
      priority = Number(pc.value ?? 0);
      preemptionPolicy = pc.preemptionPolicy;
    }
    if (spec.priority !== undefined && spec.priority !== null && spec.priority !== priority) {
      throw admissionForbidden(
        PODS,
        name,
        `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`,
      );
    }
    spec.priority = priority;
    if (preemptionPolicy === undefined) return;
    if (spec.preemptionPolicy && spec.preemptionPolicy !== preemptionPolicy) {
      throw admissionForbidden(
        PODS,
        name,
        `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${preemptionPolicy} from the given PriorityClass name`,
      );
    }
    spec.preemptionPolicy = preemptionPolicy;
  }

  /** getDefaultPriorityClass: should a race leave several global defaults, the lowest value wins. */
  private async globalDefault(): Promise<KubeObject | undefined> {
    let found: KubeObject | undefined;
    for (const pc of (await this.classes().list(undefined)).items) {
      if (pc.globalDefault !== true) continue;
      if (!found || Number(found.value ?? 0) > Number(pc.value ?? 0)) found = pc;
    }
    return found;
  }

  private async checkSingleGlobalDefault(
    pc: KubeObject,
    name: string,
    operation: "create" | "update",
  ): Promise<void> {
    if (pc.globalDefault !== true) return;
    const current = await this.globalDefault();
    if (!current) return;
    if (operation === "create" || current.metadata.name !== pc.metadata.name) {
      throw admissionForbidden(
        PRIORITY_CLASSES,
        name,
        `PriorityClass ${current.metadata.name} is already marked as default. Only one default can exist`,
      );
    }
  }
}

/** Where the system classes are written: the registry's PriorityClass store. */
export interface PriorityClassWriter {
  getOrUndefined(namespace: string, name: string): KubeObject | undefined;
  create(namespace: string, obj: KubeObject): Promise<KubeObject>;
}

/** The post-start hook of upstream's scheduling storage: the system classes exist (created once, kept after). */
export async function ensureSystemPriorityClasses(store: PriorityClassWriter): Promise<void> {
  for (const c of SYSTEM_PRIORITY_CLASSES) {
    if (store.getOrUndefined("", c.name)) continue;
    await store.create("", systemPriorityClassObject(c));
  }
}
