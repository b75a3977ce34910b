// A Client that forbids pod creations past a limit, standing in for the admission plugin upstream's integration
// test TestUpdateStatusDespitePodCreationFailure installs ("reached maximum number of pods"); every other call
// goes through unchanged.
import { ApiError } from "../../src/api/errors.js";
import type { KubeObject } from "../../src/api/object.js";
import type { Client, ResourceType, WriteOptions } from "../../src/client/client.js";

export function limitPodCreations(client: Client, limit: number): Client {
  let created = 0;
  const create = async (
    type: ResourceType,
    namespace: string | undefined,
    obj: KubeObject,
    options?: WriteOptions,
  ): Promise<KubeObject> => {
    if (type.group === "" && type.resource === "pods") {
      if (created >= limit) throw ApiError.forbidden("reached maximum number of pods");
      created++;
    }
    return client.create(type, namespace, obj, options);
  };
  return {
    get: (...args) => client.get(...args),
    list: (...args) => client.list(...args),
    watch: (...args) => client.watch(...args),
    create,
    update: (...args) => client.update(...args),
    patch: (...args) => client.patch(...args),
    delete: (...args) => client.delete(...args),
    createSubresource: (...args) => client.createSubresource(...args),
  };
}
