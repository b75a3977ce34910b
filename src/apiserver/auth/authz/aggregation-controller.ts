// The ClusterRole aggregation controller (upstream pkg/controller/clusterroleaggregation): a ClusterRole with an
// aggregationRule gets, as its rules, the rules of every ClusterRole its selectors match (by name order, each
// rule once). It runs beside the registry, triggered by the ClusterRole watch, so `kubectl get clusterrole
// view -o yaml` shows what view grants and RBAC evaluates stored rules only. Chains (view feeds edit, edit
// feeds admin) settle as each write triggers the next pass.
import { jsonEqual } from "../../../api/equal.js";
import { isConflict, isNotFound } from "../../../api/errors.js";
import { selectorFromLabelSelector } from "../../../api/labels.js";
import { deepCopy, type KubeObject } from "../../../api/object.js";
import type { Logger } from "../../../util/log.js";
import type { Registry } from "../../registry/registry.js";
import type { WatchHandle } from "../../registry/store.js";
import { RBAC_GROUP } from "./rbac-objects.js";

/** The rules an aggregated role should have, given every ClusterRole; undefined for roles without a rule. */
export function aggregatedRules(role: KubeObject, all: readonly KubeObject[]): unknown[] | undefined {
  const selectors: unknown[] | undefined = role.aggregationRule?.clusterRoleSelectors;
  if (!Array.isArray(selectors)) return undefined;
  const byName = [...all].sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
  const rules: unknown[] = [];
  for (const raw of selectors) {
    const selector = selectorFromLabelSelector(raw as Parameters<typeof selectorFromLabelSelector>[0]);
    for (const other of byName) {
      if (other.metadata.name === role.metadata.name || !selector.matches(other.metadata.labels)) continue;
      for (const rule of (other.rules as unknown[] | undefined) ?? []) {
        if (!rules.some((r) => jsonEqual(r, rule))) rules.push(deepCopy(rule));
      }
    }
  }
  return rules;
}

export class ClusterRoleAggregator {
  private watch: WatchHandle | undefined;
  private pending: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly registry: Registry,
    private readonly logger?: Logger,
  ) {}

  private get store() {
    return this.registry.store({ group: RBAC_GROUP, resource: "clusterroles" });
  }

  /** Brings every aggregated role up to date, then follows changes. */
  async start(): Promise<void> {
    await this.syncUntilSettled();
    this.watch = await this.store.watch(
      undefined,
      { resourceVersion: String(this.registry.cacher.revision) },
      {
        send: () => this.trigger(),
      },
    );
  }

  stop(): void {
    this.stopped = true;
    this.watch?.stop();
  }

  /** Resolves once every pass triggered so far has finished (tests). */
  async idle(): Promise<void> {
    while (this.pending) await this.pending;
  }

  private trigger(): void {
    if (this.stopped) return;
    if (this.pending) {
      this.again = true;
      return;
    }
    this.pending = (async () => {
      do {
        this.again = false;
        await this.syncUntilSettled().catch((err) =>
          this.logger?.warn({ err }, "clusterrole aggregation failed"),
        );
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.pending = undefined;
    });
  }

  /** Passes until no role changes (each pass may feed the next aggregated role in a chain). */
  private async syncUntilSettled(): Promise<void> {
    for (let pass = 0; pass < 10 && !this.stopped; pass++) {
      if (!(await this.syncOnce())) return;
    }
  }

  /** One pass over every aggregated role; true when something was written. */
  private async syncOnce(): Promise<boolean> {
    const all = (await this.store.list(undefined)).items;
    let wrote = false;
    for (const role of all) {
      const rules = aggregatedRules(role, all);
      if (rules === undefined || jsonEqual(rules, role.rules ?? [])) continue;
      try {
        await this.store.update("", role.metadata.name!, { ...deepCopy(role), rules });
        wrote = true;
      } catch (e) {
        // Changed or deleted meanwhile: the watch brings the next pass.
        if (!isConflict(e) && !isNotFound(e)) throw e;
      }
    }
    return wrote;
  }
}
