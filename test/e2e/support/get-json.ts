// `kubectl get ... -o json`, parsed: the object (or List) exactly as kubectl hands it to a script.
import type { Kubectl } from "../../support/kubectl.js";
import type { Manifest } from "./manifests.js";

export async function getJson(k: Kubectl, ...args: string[]): Promise<Manifest> {
  return JSON.parse(await k.ok(["get", ...args, "-o", "json"]));
}
