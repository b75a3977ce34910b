// kube-controller-manager's leader-election flags (--leader-elect, its three timings, and where the Lease lives),
// shared by `everynode up` and `everynode controller`.
import { type Command, InvalidArgumentError } from "commander";
import { parseGoDuration } from "../api/duration.js";
import { LEADER_ELECTION_DEFAULTS, type LeaderElectionOptions } from "../runtime/leader-election.js";

export interface LeaderElectionFlags {
  leaderElect: boolean;
  /** Go durations, e.g. "15s". */
  leaseDuration: string;
  renewDeadline: string;
  retryPeriod: string;
  leaseNamespace: string;
  leaseName: string;
}

function booleanFlag(name: string) {
  return (v: string): boolean => {
    if (v === "true") return true;
    if (v === "false") return false;
    throw new InvalidArgumentError(`${name} takes true or false, got "${v}"`);
  };
}

const seconds = (ms: number): string => `${ms / 1000}s`;

/** The flags' defaults (kube-controller-manager's, as the elector's), for a Lease named `leaseName` in kube-system. */
export const defaultElectionFlags = (leaseName: string): LeaderElectionFlags => ({
  leaderElect: true,
  leaseDuration: seconds(LEADER_ELECTION_DEFAULTS.leaseDurationMs),
  renewDeadline: seconds(LEADER_ELECTION_DEFAULTS.renewDeadlineMs),
  retryPeriod: seconds(LEADER_ELECTION_DEFAULTS.retryPeriodMs),
  leaseNamespace: "kube-system",
  leaseName,
});

/** Adds the flags to `command`; `leaseName` is its default Lease, `what` says what the leader runs. */
export function addLeaderElectionOptions(command: Command, leaseName: string, what: string): Command {
  const defaults = defaultElectionFlags(leaseName);
  return command
    .option(
      "--leader-elect <bool>",
      `elect a leader on a Lease, so that of several replicas only one ${what}`,
      booleanFlag("--leader-elect"),
      defaults.leaderElect,
    )
    .option(
      "--leader-elect-lease-duration <duration>",
      "how long a leader's Lease lasts unrenewed",
      defaults.leaseDuration,
    )
    .option(
      "--leader-elect-renew-deadline <duration>",
      "how long the leader tries to renew before it stops",
      defaults.renewDeadline,
    )
    .option(
      "--leader-elect-retry-period <duration>",
      "how often to try to acquire or renew the Lease",
      defaults.retryPeriod,
    )
    .option(
      "--leader-elect-resource-namespace <namespace>",
      "namespace of the Lease",
      defaults.leaseNamespace,
    )
    .option("--leader-elect-resource-name <name>", "name of the Lease", defaults.leaseName);
}

/** The flags as commander parsed them. */
export function leaderElectionFlags(opts: Record<string, unknown>): LeaderElectionFlags {
  return {
    leaderElect: opts.leaderElect as boolean,
    leaseDuration: opts.leaderElectLeaseDuration as string,
    renewDeadline: opts.leaderElectRenewDeadline as string,
    retryPeriod: opts.leaderElectRetryPeriod as string,
    leaseNamespace: opts.leaderElectResourceNamespace as string,
    leaseName: opts.leaderElectResourceName as string,
  };
}

/** The LeaderElector settings the flags ask for. */
export function electionSettings(
  flags: LeaderElectionFlags,
): Pick<
  LeaderElectionOptions,
  "namespace" | "name" | "leaseDurationMs" | "renewDeadlineMs" | "retryPeriodMs"
> {
  return {
    namespace: flags.leaseNamespace,
    name: flags.leaseName,
    leaseDurationMs: parseGoDuration(flags.leaseDuration),
    renewDeadlineMs: parseGoDuration(flags.renewDeadline),
    retryPeriodMs: parseGoDuration(flags.retryPeriod),
  };
}
