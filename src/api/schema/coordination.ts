// Schema of coordination.k8s.io/v1 Lease.

import { definition, int32, ref, str } from "./builders.js";
import { MicroTime, objectMetaField, typeMeta } from "./meta.js";
import type { Schema } from "./types.js";

export const LeaseSpec: Schema = definition(
  "io.k8s.api.coordination.v1.LeaseSpec",
  "The holder and timing of a lease.",
  {
    holderIdentity: str("Identity of the current holder."),
    leaseDurationSeconds: int32("Seconds candidates wait after the last renewal before taking over."),
    acquireTime: ref(MicroTime, "When the lease was last acquired."),
    renewTime: ref(MicroTime, "When the holder last renewed the lease."),
    leaseTransitions: int32("Number of times the lease changed holders."),
    strategy: str("Strategy used to pick a new holder."),
    preferredHolder: str("Holder that should take the lease next."),
  },
);

export const Lease: Schema = definition(
  "io.k8s.api.coordination.v1.Lease",
  "A lease used for leader election and node heartbeats.",
  {
    ...typeMeta(),
    metadata: objectMetaField(),
    spec: ref(LeaseSpec, "The lease's holder and timing."),
  },
  { gvk: { group: "coordination.k8s.io", version: "v1", kind: "Lease" } },
);
