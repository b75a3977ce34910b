// What node-exporter's /metrics answers on a simulated node: Prometheus text exposition of the usual node_*
// families (CPU, memory, load, filesystem, network, uname, boot and current time) plus the exporter's own go_*,
// process_* and promhttp_* series. Values follow from the node's capacity and the time since it booted, so
// counters grow between scrapes and two scrapes at the same instant agree.
import type { NodeFacts } from "./container-context.js";

/** A float the way Go's strconv 'g' (shortest) prints it, as the Prometheus client does. */
export function goFloat(v: number): string {
  if (v === 0) return "0";
  if (!Number.isFinite(v)) return v > 0 ? "+Inf" : v < 0 ? "-Inf" : "NaN";
  const exp = Math.floor(Math.log10(Math.abs(v)));
  // Shortest 'g' switches to an exponent below 1e-4 and from 1e6 on (node_boot_time_seconds 1.7e+09).
  if (exp < -4 || exp >= 6) {
    const [mantissa, e] = v.toExponential().split("e");
    const n = Number(e);
    return `${mantissa}e${n < 0 ? "-" : "+"}${String(Math.abs(n)).padStart(2, "0")}`;
  }
  return String(v);
}

type Labels = Record<string, string>;

interface Family {
  name: string;
  help: string;
  type: "counter" | "gauge" | "summary" | "untyped";
  samples: [Labels, number][];
}

const renderLabels = (labels: Labels): string => {
  const entries = Object.entries(labels);
  if (entries.length === 0) return "";
  return `{${entries.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(",")}}`;
};

function render(families: Family[]): string {
  return families
    .map(
      (f) =>
        `# HELP ${f.name} ${f.help}\n# TYPE ${f.name} ${f.type}\n` +
        f.samples.map(([labels, v]) => `${f.name}${renderLabels(labels)} ${goFloat(v)}\n`).join(""),
    )
    .join("");
}

/** A smooth, repeatable wobble in [0, 1) for a series at time t (seconds). */
const wobble = (t: number, seed: number): number => (Math.sin(t / 97 + seed * 1.7) + 1) / 2;

const round = (v: number, digits = 2): number => Math.round(v * 10 ** digits) / 10 ** digits;

const CPU_MODES: [string, number][] = [
  ["idle", 0],
  ["iowait", 0.004],
  ["irq", 0],
  ["nice", 0.001],
  ["softirq", 0.003],
  ["steal", 0],
  ["system", 0.025],
  ["user", 0.06],
];

export interface ExporterFacts {
  node: NodeFacts;
  /** When the exporter process started (epoch ms). */
  startedAt: number;
  version: string;
  /** Scrapes answered so far, including this one. */
  scrapes: number;
}

export function nodeExporterMetrics(f: ExporterFacts, now: number): string {
  const t = now / 1000;
  const uptime = Math.max(1, (now - f.node.bootTime) / 1000);
  const running = Math.max(0, (now - f.startedAt) / 1000);
  const memTotal = f.node.memoryBytes;
  const memAvailable = Math.round(memTotal * (0.62 + 0.08 * wobble(t, 1)));
  const fsSize = f.node.ephemeralStorageBytes;
  const fsAvail = Math.round(fsSize * (0.71 - 0.02 * wobble(t, 2)));
  const cpuSamples: [Labels, number][] = [];
  for (let cpu = 0; cpu < f.node.cpus; cpu++) {
    const busy = CPU_MODES.reduce((sum, [, share]) => sum + share, 0);
    for (const [mode, share] of CPU_MODES) {
      const value = mode === "idle" ? uptime * (1 - busy) : uptime * share * (0.9 + 0.2 * wobble(cpu, 3));
      cpuSamples.push([{ cpu: String(cpu), mode }, round(value)]);
    }
  }
  const load = (minutes: number) => round(f.node.cpus * (0.05 + 0.1 * wobble(t / minutes, 4)));
  const machineArch = f.node.machine === "aarch64" ? "arm64" : "amd64";
  const families: Family[] = [
    {
      name: "go_goroutines",
      help: "Number of goroutines that currently exist.",
      type: "gauge",
      samples: [[{}, 8]],
    },
    {
      name: "go_info",
      help: "Information about the Go environment.",
      type: "gauge",
      samples: [[{ version: "go1.22.5" }, 1]],
    },
    {
      name: "node_boot_time_seconds",
      help: "Node boot time, in unixtime.",
      type: "gauge",
      samples: [[{}, Math.floor(f.node.bootTime / 1000)]],
    },
    {
      name: "node_cpu_seconds_total",
      help: "Seconds the CPUs spent in each mode.",
      type: "counter",
      samples: cpuSamples,
    },
    {
      name: "node_exporter_build_info",
      help: "A metric with a constant '1' value labeled by version, revision, branch, goversion from which node_exporter was built, and the goos and goarch for the build.",
      type: "gauge",
      samples: [
        [
          {
            branch: "HEAD",
            goarch: machineArch,
            goos: "linux",
            goversion: "go1.22.5",
            revision: "f1e0e8360aa60b6cb5e5cc1560bed348fc2c1895",
            tags: "unknown",
            version: f.version,
          },
          1,
        ],
      ],
    },
    {
      name: "node_filesystem_avail_bytes",
      help: "Filesystem space available to non-root users in bytes.",
      type: "gauge",
      samples: [[{ device: "/dev/sda1", fstype: "ext4", mountpoint: "/" }, fsAvail]],
    },
    {
      name: "node_filesystem_size_bytes",
      help: "Filesystem size in bytes.",
      type: "gauge",
      samples: [[{ device: "/dev/sda1", fstype: "ext4", mountpoint: "/" }, fsSize]],
    },
    { name: "node_load1", help: "1m load average.", type: "gauge", samples: [[{}, load(1)]] },
    { name: "node_load15", help: "15m load average.", type: "gauge", samples: [[{}, load(15)]] },
    { name: "node_load5", help: "5m load average.", type: "gauge", samples: [[{}, load(5)]] },
    {
      name: "node_memory_MemAvailable_bytes",
      help: "Memory information field MemAvailable_bytes.",
      type: "gauge",
      samples: [[{}, memAvailable]],
    },
    {
      name: "node_memory_MemFree_bytes",
      help: "Memory information field MemFree_bytes.",
      type: "gauge",
      samples: [[{}, Math.round(memAvailable * 0.45)]],
    },
    {
      name: "node_memory_MemTotal_bytes",
      help: "Memory information field MemTotal_bytes.",
      type: "gauge",
      samples: [[{}, memTotal]],
    },
    {
      name: "node_network_receive_bytes_total",
      help: "Network device statistic receive_bytes.",
      type: "counter",
      samples: [
        [{ device: "eth0" }, Math.round(uptime * 18_432)],
        [{ device: "lo" }, Math.round(uptime * 2_048)],
      ],
    },
    {
      name: "node_network_transmit_bytes_total",
      help: "Network device statistic transmit_bytes.",
      type: "counter",
      samples: [
        [{ device: "eth0" }, Math.round(uptime * 9_216)],
        [{ device: "lo" }, Math.round(uptime * 2_048)],
      ],
    },
    {
      name: "node_time_seconds",
      help: "System time in seconds since epoch (1970).",
      type: "gauge",
      samples: [[{}, round(t, 3)]],
    },
    {
      name: "node_uname_info",
      help: "Labeled system information as provided by the uname system call.",
      type: "gauge",
      samples: [
        [
          {
            domainname: "(none)",
            machine: f.node.machine,
            nodename: f.node.name,
            release: f.node.kernelVersion,
            sysname: "Linux",
            version: "#1 SMP PREEMPT_DYNAMIC",
          },
          1,
        ],
      ],
    },
    {
      name: "process_cpu_seconds_total",
      help: "Total user and system CPU time spent in seconds.",
      type: "counter",
      samples: [[{}, round(running * 0.002)]],
    },
    {
      name: "process_resident_memory_bytes",
      help: "Resident memory size in bytes.",
      type: "gauge",
      samples: [[{}, 21_512_192]],
    },
    {
      name: "process_start_time_seconds",
      help: "Start time of the process since unix epoch in seconds.",
      type: "gauge",
      samples: [[{}, round(f.startedAt / 1000)]],
    },
    {
      name: "promhttp_metric_handler_requests_total",
      help: "Total number of scrapes by HTTP status code.",
      type: "counter",
      samples: [
        [{ code: "200" }, f.scrapes],
        [{ code: "500" }, 0],
        [{ code: "503" }, 0],
      ],
    },
  ];
  return render(families);
}
