// One `everynode up` per test file: spawns the compiled CLI on a fresh data dir, hands out a kubectl bound to
// its kubeconfig, and on stop ends the server and removes the data dir.
import { rmSync } from "node:fs";
import { EverynodeProcess } from "../../support/everynode-process.js";
import { Kubectl } from "../../support/kubectl.js";

export interface E2eCluster {
  server: EverynodeProcess;
  kubectl: Kubectl;
  /** Stops the server with SIGTERM and deletes its data dir. */
  stop(): Promise<void>;
}

export async function startCluster(args: string[] = []): Promise<E2eCluster> {
  const server = await EverynodeProcess.start(args);
  return {
    server,
    kubectl: new Kubectl(server.kubeconfig),
    stop: async () => {
      await server.stop();
      rmSync(server.dataDir, { recursive: true, force: true });
    },
  };
}
