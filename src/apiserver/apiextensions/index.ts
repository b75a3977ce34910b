// apiextensions.k8s.io/v1 CustomResourceDefinitions, read-only and always empty: everynode serves no custom
// resources, but clients ask this list to tell a custom kind from a built-in one — kubectl's field validation
// lists CRDs for any kind without a PATCH endpoint (`kubectl create -f` of a SubjectAccessReview), and fails
// outright when the list is missing. `kubectl get crd` answers "No resources found"; creating one is a 405.
import { ApiError } from "../../api/errors.js";
import type { ResourceInfo } from "../../api/resources.js";
import type { VirtualResourceDefinition } from "../registry/virtual-resource.js";

export const APIEXTENSIONS_GROUP = { group: "apiextensions.k8s.io", version: "v1" };

export const CUSTOM_RESOURCE_DEFINITIONS: ResourceInfo = {
  ...APIEXTENSIONS_GROUP,
  resource: "customresourcedefinitions",
  singular: "customresourcedefinition",
  kind: "CustomResourceDefinition",
  listKind: "CustomResourceDefinitionList",
  namespaced: false,
  verbs: ["get", "list"],
  shortNames: ["crd", "crds"],
  categories: ["api-extensions"],
  subresources: [],
};

export const APIEXTENSIONS_VIRTUAL_RESOURCES: readonly VirtualResourceDefinition[] = [
  {
    info: CUSTOM_RESOURCE_DEFINITIONS,
    create: () => ({
      info: CUSTOM_RESOURCE_DEFINITIONS,
      get: async (_namespace, name) => {
        throw ApiError.notFound(CUSTOM_RESOURCE_DEFINITIONS, name);
      },
      list: async () => ({ items: [] }),
    }),
  },
];
