// Defaults of core/v1 LimitRange (SetDefaults_LimitRangeItem): a Container item's default limit falls back to its
// max, and its default request to the default limit, else to its min, resource by resource.
import { isRecord, type JsonRecord, recordItems } from "../validation/json-access.js";

/** Copies into `target` every entry of `source` it lacks; returns the merged list. */
function fillMissing(target: unknown, source: unknown): JsonRecord {
  const merged: JsonRecord = isRecord(target) ? target : {};
  if (!isRecord(source)) return merged;
  for (const [name, amount] of Object.entries(source)) if (!(name in merged)) merged[name] = amount;
  return merged;
}

/** Sets the list on the item, leaving it out when empty as Go's omitempty does. */
function setList(item: JsonRecord, key: string, list: JsonRecord): void {
  if (Object.keys(list).length > 0) item[key] = list;
}

export function setLimitRangeDefaults(limitRange: JsonRecord): void {
  const spec = limitRange.spec;
  if (!isRecord(spec)) return;
  for (const item of recordItems(spec.limits)) {
    if (item.type !== "Container") continue;
    setList(item, "default", fillMissing(item.default, item.max));
    setList(item, "defaultRequest", fillMissing(fillMissing(item.defaultRequest, item.default), item.min));
  }
}
