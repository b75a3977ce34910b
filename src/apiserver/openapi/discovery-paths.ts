// The discovery endpoints as OpenAPI paths: /api/, /apis/, /apis/<group>/ (each its own v3 document, as in
// Kubernetes) and the /api/v1/, /apis/<group>/<version>/ resource lists that open each group-version document.

import type { DocumentSpec, OperationSpec, PathSpec } from "./api-model.js";
import { META } from "./builtin-schemas.js";
import { groupVersionPrefix, groupVersionTag, groupWord, JSON_CONTENT } from "./resource-paths.js";

function discoveryGet(
  operationId: string,
  tag: string,
  description: string,
  definition: string,
): OperationSpec {
  return {
    method: "get",
    operationId,
    tag,
    description,
    parameters: [],
    responses: [
      { code: "200", description: "OK", body: { definition }, contentTypes: [JSON_CONTENT] },
      { code: "401", description: "Unauthorized", contentTypes: [] },
    ],
  };
}

const single = (path: string, op: OperationSpec): PathSpec => ({ path, parameters: [], operations: [op] });

/** `GET /apis/<group>/<version>/` (or `/api/v1/`): the resources of a group-version. */
export function groupVersionRootPath(group: string, version: string): PathSpec {
  const gv = groupWord(group) + version.charAt(0).toUpperCase() + version.slice(1);
  return single(
    `${groupVersionPrefix(group, version)}/`,
    discoveryGet(
      `get${gv}APIResources`,
      groupVersionTag(group, version),
      "get available resources",
      META.APIResourceList.definitionName!,
    ),
  );
}

/** The "api", "apis" and "apis/<group>" documents for the given groups ("" is the core group). */
export function discoveryDocuments(groups: readonly string[]): Omit<DocumentSpec, "roots">[] {
  const docs: Omit<DocumentSpec, "roots">[] = [];
  const named = [...new Set(groups.filter((g) => g !== ""))];
  if (groups.includes("")) {
    docs.push({
      key: "api",
      paths: [
        single(
          "/api/",
          discoveryGet(
            "getCoreAPIVersions",
            "core",
            "get available API versions",
            META.APIVersions.definitionName!,
          ),
        ),
      ],
    });
  }
  docs.push({
    key: "apis",
    paths: [
      single(
        "/apis/",
        discoveryGet(
          "getAPIVersions",
          "apis",
          "get available API versions",
          META.APIGroupList.definitionName!,
        ),
      ),
    ],
  });
  for (const group of named) {
    const word = groupWord(group);
    const tag = word.charAt(0).toLowerCase() + word.slice(1);
    docs.push({
      key: `apis/${group}`,
      paths: [
        single(
          `/apis/${group}/`,
          discoveryGet(
            `get${word}APIGroup`,
            tag,
            "get information of a group",
            META.APIGroup.definitionName!,
          ),
        ),
      ],
    });
  }
  return docs;
}
