// Whether a ResourceQuota change leaves more room than before, so that creations it refused may now succeed:
// a limit raised or removed, or usage that went down. Controllers that back off after quota refusals use it
// to retry at once instead of waiting out their backoff.
import type { KubeObject } from "../object.js";
import { parseResourceList } from "./resource-list.js";

export function quotaRoomGrew(old: KubeObject, cur: KubeObject): boolean {
  const newHard = parseResourceList(cur.spec?.hard);
  for (const [name, limit] of parseResourceList(old.spec?.hard)) {
    const now = newHard.get(name);
    if (!now || now.cmp(limit) > 0) return true;
  }
  const newUsed = parseResourceList(cur.status?.used);
  for (const [name, used] of parseResourceList(old.status?.used)) {
    const now = newUsed.get(name);
    if (now && now.cmp(used) < 0) return true;
  }
  return false;
}
