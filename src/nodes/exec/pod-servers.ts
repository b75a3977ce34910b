// The servers listening inside a simulated pod, reachable from every container of it on localhost (they share
// one network namespace): nginx on 80 (its welcome page), node-exporter on 9100 or its --web.listen-address
// (/metrics), fluentd's monitor agent on 24220 (/api/plugins.json). Anything else refuses the connection.
import type { HttpResponse, NodeFacts } from "./container-context.js";
import type { ImageProfile } from "./image-profile.js";
import { nodeExporterMetrics } from "./node-exporter-metrics.js";

export interface PodServer {
  kind: NonNullable<ImageProfile["server"]>;
  port: number;
  /** The program's version as it reports it (Server header, build info). */
  version: string;
  startedAt: number;
}

/** A running container whose image may serve something. */
export interface ServingContainer {
  spec: Record<string, any>;
  profile: ImageProfile;
  startedAt: number;
}

function listenPort(args: readonly string[], fallback: number): number {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = a.startsWith("--web.listen-address=")
      ? a.slice("--web.listen-address=".length)
      : a === "--web.listen-address"
        ? args[i + 1]
        : undefined;
    const port = Number(value?.slice(value.lastIndexOf(":") + 1));
    if (Number.isInteger(port) && port > 0 && port < 65536) return port;
  }
  return fallback;
}

function versionOf(profile: ImageProfile, spec: Record<string, any>, fallback: string): string {
  const fromEnv = profile.env.find(([k]) => k === "NGINX_VERSION")?.[1];
  if (fromEnv) return fromEnv;
  const tag = String(spec.image ?? "").split(":")[1] ?? "";
  const match = /^v?(\d+\.\d+(\.\d+)?)/.exec(tag);
  return match ? match[1] : fallback;
}

/** The servers the running containers of a pod listen with. */
export function podServers(containers: readonly ServingContainer[]): PodServer[] {
  const servers: PodServer[] = [];
  for (const c of containers) {
    const kind = c.profile.server;
    if (!kind) continue;
    const args = [...(c.spec.command ?? []), ...(c.spec.args ?? [])].map(String);
    const port = kind === "nginx" ? 80 : kind === "fluentd" ? 24220 : listenPort(args, 9100);
    const fallback = kind === "nginx" ? "1.27.3" : kind === "fluentd" ? "1.16.5" : "1.8.2";
    servers.push({ kind, port, version: versionOf(c.profile, c.spec, fallback), startedAt: c.startedAt });
  }
  return servers;
}

const httpDate = (ms: number): string => new Date(ms).toUTCString();

const WELCOME_PAGE = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

/** The pages nginx serves from /usr/share/nginx/html (container-files.ts lists them too). */
export const NGINX_HTML: Readonly<Record<string, string>> = {
  "index.html": WELCOME_PAGE,
  "50x.html": WELCOME_PAGE.replace("Welcome to nginx!", "Error")
    .replace("<h1>Welcome to nginx!</h1>", "<h1>An error occurred.</h1>")
    .replace(
      /<p>If you see[\s\S]*<\/p>\n/,
      "<p>Sorry, the page you are looking for is currently unavailable.</p>\n",
    ),
};

function nginxError(status: number, reason: string, version: string): string {
  return (
    `<html>\r\n<head><title>${status} ${reason}</title></head>\r\n<body>\r\n` +
    `<center><h1>${status} ${reason}</h1></center>\r\n<hr><center>nginx/${version}</center>\r\n</body>\r\n</html>\r\n`
  );
}

function nginx(server: PodServer, path: string, now: number): HttpResponse {
  const file = path === "/" ? "index.html" : path.replace(/^\/+/, "");
  const page = NGINX_HTML[file];
  const body = page ?? nginxError(404, "Not Found", server.version);
  const headers: [string, string][] = [
    ["Server", `nginx/${server.version}`],
    ["Date", httpDate(now)],
    ["Content-Type", "text/html"],
    ["Content-Length", String(Buffer.byteLength(body))],
  ];
  if (page) {
    headers.push(["Last-Modified", httpDate(server.startedAt)], ["Connection", "keep-alive"]);
    headers.push([
      "ETag",
      `"${Math.floor(server.startedAt / 1000).toString(16)}-${body.length.toString(16)}"`,
    ]);
    headers.push(["Accept-Ranges", "bytes"]);
  } else {
    headers.push(["Connection", "keep-alive"]);
  }
  return { status: page ? 200 : 404, headers, body };
}

function fluentdPlugins(server: PodServer, now: number) {
  const records = Math.floor(Math.max(0, now - server.startedAt) / 1000) * 7;
  return [
    {
      plugin_id: "in_tail_container_logs",
      plugin_category: "input",
      type: "tail",
      config: {
        "@type": "tail",
        "@id": "in_tail_container_logs",
        path: "/var/log/containers/*.log",
        pos_file: "/var/log/fluentd-containers.log.pos",
        tag: "kubernetes.*",
        read_from_head: "true",
      },
      output_plugin: false,
      retry_count: null,
      emit_records: records,
      emit_size: 0,
    },
    {
      plugin_id: "filter_kube_metadata",
      plugin_category: "filter",
      type: "kubernetes_metadata",
      config: { "@type": "kubernetes_metadata", "@id": "filter_kube_metadata" },
      output_plugin: false,
      retry_count: null,
      emit_records: records,
      emit_size: 0,
    },
    {
      plugin_id: "out_es",
      plugin_category: "output",
      type: "elasticsearch",
      config: { "@type": "elasticsearch", "@id": "out_es", host: "elasticsearch-logging", port: "9200" },
      output_plugin: true,
      buffer_queue_length: 0,
      buffer_timekeys: [],
      buffer_total_queued_size: 0,
      retry_count: 0,
      emit_records: records,
      emit_count: Math.floor(records / 50),
      write_count: Math.floor(records / 50),
      rollback_count: 0,
      slow_flush_count: 0,
      flush_time_count: Math.floor(records / 3),
      retry: {},
    },
  ];
}

function fluentd(server: PodServer, path: string, now: number): HttpResponse {
  const plugins = fluentdPlugins(server, now);
  const json = (status: number, value: unknown): HttpResponse => {
    const body = `${JSON.stringify(value)}\n`;
    return {
      status,
      headers: [
        ["Content-Type", "application/json"],
        ["Content-Length", String(Buffer.byteLength(body))],
      ],
      body,
    };
  };
  if (path === "/api/plugins.json") return json(200, { plugins });
  if (path === "/api/plugins") {
    const body = plugins
      .map((p) =>
        [
          `plugin_id:${p.plugin_id}`,
          `plugin_category:${p.plugin_category}`,
          `type:${p.type}`,
          `output_plugin:${p.output_plugin}`,
          `retry_count:${p.retry_count ?? ""}`,
        ].join("\t"),
      )
      .join("\n");
    return { status: 200, headers: [["Content-Type", "text/plain"]], body: `${body}\n` };
  }
  return { status: 404, headers: [["Content-Type", "text/plain"]], body: "404 Not Found\n" };
}

function nodeExporter(server: PodServer, path: string, now: number, node: NodeFacts): HttpResponse {
  if (path !== "/metrics") {
    const body =
      path === "/"
        ? "<html>\n<head><title>Node Exporter</title></head>\n<body>\n<h1>Node Exporter</h1>\n" +
          '<p><a href="/metrics">Metrics</a></p>\n</body>\n</html>\n'
        : "404 page not found\n";
    return {
      status: path === "/" ? 200 : 404,
      headers: [["Content-Type", path === "/" ? "text/html; charset=UTF-8" : "text/plain; charset=utf-8"]],
      body,
    };
  }
  // As if Prometheus scraped it every 15 s since it started.
  const scrapes = 1 + Math.floor(Math.max(0, now - server.startedAt) / 15_000);
  const body = nodeExporterMetrics(
    { node, startedAt: server.startedAt, version: server.version, scrapes },
    now,
  );
  return {
    status: 200,
    headers: [
      ["Content-Type", "text/plain; version=0.0.4; charset=utf-8"],
      ["Date", httpDate(now)],
    ],
    body,
  };
}

/** What `server` answers to GET `path` at `now`. */
export function serveRequest(server: PodServer, path: string, now: number, node: NodeFacts): HttpResponse {
  const pathOnly = path.split("?")[0] || "/";
  switch (server.kind) {
    case "nginx":
      return nginx(server, pathOnly, now);
    case "fluentd":
      return fluentd(server, pathOnly, now);
    case "node-exporter":
      return nodeExporter(server, pathOnly, now, node);
  }
}
