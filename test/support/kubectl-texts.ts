// What older kubectl minors print differently from newer ones for the same server answers. Tests that compare
// kubectl's exact text ask here, so that one end-to-end suite passes with every kubectl from 1.27 to 1.33
// (`npm run test:kubectl-versions`). Every difference is kubectl's own: the server answers each version alike.

/** `kubectl annotate` reports its verb: 1.27 printed it unconjugated ("daemonset.apps/x annotate"). */
export const annotatedLine = (minor: number, name: string): string =>
  `${name} ${minor <= 27 ? "annotate" : "annotated"}\n`;

/** `describe ds` names the DaemonSet's namespace under its name from 1.33 on. */
export const describesDaemonSetNamespace = (minor: number): boolean => minor >= 33;

/** Pod templates in `describe ds` and `rollout history --revision` list Node-Selectors and Tolerations. */
export const describesTemplateScheduling = (minor: number): boolean => minor >= 30;

/** `kubectl scale` of a missing object: the NotFound joined to the message from 1.32 on. */
export const scaleNothingPassed = (minor: number, notFound: string): string =>
  minor >= 32 ? `error: no objects passed to scale ${notFound}\n` : "error: no objects passed to scale\n";

/** `kubectl drain`'s refusal of unmanaged pods ("cannot delete Pods declare no controller" before 1.30). */
export const unmanagedPodsRefusal = (minor: number): RegExp =>
  minor >= 30
    ? /cannot delete Pods that declare no controller \(use --force to override\): /
    : /cannot delete Pods declare no controller \(use --force to override\): /;

/** `kubectl cluster-info` coloured its output even on a pipe before 1.32. */
export const clusterInfoText = (minor: number, server: string): string =>
  (minor >= 32
    ? `Kubernetes control plane is running at ${server}\n`
    : `\x1B[0;32mKubernetes control plane\x1B[0m is running at \x1B[0;33m${server}\x1B[0m\n`) +
  "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n";

/** `kubectl top node`'s percentage columns: CPU% and MEMORY% before 1.32. */
export const topNodeHeader = (minor: number): string[] =>
  minor >= 32
    ? ["NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"]
    : ["NAME", "CPU(cores)", "CPU%", "MEMORY(bytes)", "MEMORY%"];

/** `kubectl explain` prints a field's enum values (from the OpenAPI v3 `enum`) from 1.30 on. */
export const explainPrintsEnums = (minor: number): boolean => minor >= 30;

/**
 * `kubectl auth whoami` asks authentication.k8s.io/v1 from 1.28 on; 1.27 knows only v1alpha1 and v1beta1, which a
 * 1.32 API server leaves off by default, so there it fails with this message.
 */
export const whoamiAsksV1 = (minor: number): boolean => minor >= 28;
export const WHOAMI_NOT_ENABLED =
  "error: the selfsubjectreviews API is not enabled in the cluster\n" +
  "enable APISelfSubjectReview feature gate and authentication.k8s.io/v1alpha1 or authentication.k8s.io/v1beta1 API\n";
