// Reads an etcd storage URL: etcd://host:port[,host:port…][/prefix]. The hosts are the cluster's client
// endpoints (spoken to over TLS when the etcd TLS files are given); the optional path puts every key under that
// prefix, so several everynode clusters can share one etcd (as kube-apiserver's --etcd-prefix).

export interface EtcdLocation {
  /** Client endpoints as host:port, e.g. 127.0.0.1:2379. */
  hosts: string[];
  /** Prepended to every key ("" for none; otherwise starts with "/" and has no trailing "/"). */
  prefix: string;
}

const SCHEME = "etcd://";
const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

export function parseEtcdUrl(url: string): EtcdLocation {
  if (!url.startsWith(SCHEME)) throw new Error(`storage URL "${url}" is not an etcd:// URL`);
  const rest = url.slice(SCHEME.length);
  const slash = rest.indexOf("/");
  const hostList = slash === -1 ? rest : rest.slice(0, slash);
  const path = slash === -1 ? "" : rest.slice(slash).replace(/\/+$/, "");
  const hosts = hostList.split(",").map((host) => {
    const match = HOST_PORT.exec(host);
    if (!match || Number(match[2]) > 65535) {
      throw new Error(
        `storage URL "${url}": "${host}" is not host:port; write etcd://127.0.0.1:2379 (several endpoints separated by commas)`,
      );
    }
    return host;
  });
  return { hosts, prefix: path };
}
