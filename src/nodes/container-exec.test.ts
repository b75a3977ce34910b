// The simulated programs of `kubectl exec`, run in real SimPods (nginx beside node-exporter, busybox, a
// distroless image) on a fake clock: environment, files, identity, processes, HTTP to the pod's own servers,
// shells with -c (compound commands and arithmetic too), piped stdin and a TTY, missing executables, and the
// kubelet's check for a running container.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ApiError } from "../api/errors.js";
import type { KubeObject } from "../api/object.js";
import type { Client } from "../client/client.js";
import { FakeClock } from "../util/clock.js";
import { ContainerExec, runningContainer } from "./container-exec.js";
import { buildNode } from "./node-template.js";
import { type PodHost, SimPod } from "./sim-pod.js";
import { testPodHost } from "./test-pod-host.js";

const T0 = Date.parse("2025-03-01T12:00:00Z");

function host(): PodHost {
  return testPodHost({ hostIP: "10.0.0.3", podIP: "10.244.1.7" });
}

const POD: KubeObject = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "mon-abcde", namespace: "monitoring", uid: "uid-1", labels: { app: "mon" } },
  spec: {
    nodeName: "node1",
    containers: [
      {
        name: "web",
        image: "nginx:1.27.3",
        env: [
          { name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
          { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
          { name: "POD_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
          { name: "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
          { name: "APP", valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
          { name: "GREETING", value: "hello from $(NODE_NAME)" },
          { name: "COLOR", valueFrom: { configMapKeyRef: { name: "settings", key: "color" } } },
          { name: "TOKEN", valueFrom: { secretKeyRef: { name: "creds", key: "token" } } },
          {
            name: "MEM_LIMIT_MI",
            valueFrom: { resourceFieldRef: { resource: "limits.memory", divisor: "1Mi" } },
          },
        ],
        resources: { limits: { memory: "256Mi" } },
        volumeMounts: [
          { name: "config", mountPath: "/etc/app" },
          { name: "creds", mountPath: "/var/run/creds", readOnly: true },
        ],
      },
      { name: "exporter", image: "prom/node-exporter:v1.8.2", args: ["--path.rootfs=/host"] },
      { name: "tools", image: "busybox:1.36", command: ["sh", "-c", "sleep 3600"] },
      { name: "static", image: "gcr.io/distroless/static:nonroot" },
    ],
    volumes: [
      { name: "config", configMap: { name: "settings" } },
      { name: "creds", secret: { secretName: "creds" } },
    ],
  },
  status: {},
};

/** A client that knows one ConfigMap and one Secret. */
const client = {
  async get(type: { resource: string }, _ns: string, name: string): Promise<KubeObject> {
    if (type.resource === "configmaps" && name === "settings") {
      return { metadata: { name }, data: { color: "blue", "app.conf": "listen 8080\n" } };
    }
    if (type.resource === "secrets" && name === "creds") {
      return { metadata: { name }, data: { token: Buffer.from("s3cr3t").toString("base64") } };
    }
    throw ApiError.notFound({ group: "", resource: type.resource }, name);
  },
} as unknown as Client;

function runningPod(): SimPod {
  const sim = new SimPod(structuredClone(POD), host(), T0);
  for (let next = sim.nextDueAt(); next !== undefined && next <= T0 + 1000; next = sim.nextDueAt())
    sim.advance(next);
  return sim;
}

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

const clock = new FakeClock(T0 + 60_000);
const node = {
  ...buildNode("node1", 1, T0),
  metadata: { ...buildNode("node1", 1, T0).metadata, creationTimestamp: "2025-03-01T00:00:00Z" },
};
const exec = new ContainerExec({ client, clock });

/** An interactive bash on a TTY in the "web" container, fed by `send` ("" ends the input). */
function typedSession() {
  const sim = runningPod();
  const result = { stdout: "", stderr: "" };
  const chunks: string[] = [];
  let wake: (() => void) | undefined;
  const send = (text: string) => {
    chunks.push(text);
    wake?.();
  };
  const stdin = (async function* () {
    for (;;) {
      while (chunks.length === 0) await new Promise<void>((r) => (wake = r));
      const next = chunks.shift() as string;
      if (next === "") return;
      yield Buffer.from(next);
    }
  })();
  const done = exec.run(sim, runningContainer(sim, "web"), node, ["bash"], {
    stdin,
    stdout: (d) => (result.stdout += d),
    stderr: (d) => (result.stderr += d),
    tty: true,
    signal: new AbortController().signal,
  });
  return { send, done, result };
}

async function run(
  container: string,
  command: string[],
  o: { stdin?: string[]; tty?: boolean; pod?: SimPod; signal?: AbortSignal } = {},
): Promise<Result> {
  const sim = o.pod ?? runningPod();
  const result = { code: -1, stdout: "", stderr: "" };
  const stdin = o.stdin
    ? (async function* () {
        for (const chunk of o.stdin ?? []) yield Buffer.from(chunk);
      })()
    : undefined;
  result.code = await exec.run(sim, runningContainer(sim, container), node, command, {
    stdin,
    stdout: (d) => (result.stdout += d),
    stderr: (d) => (result.stderr += d),
    tty: o.tty ?? false,
    signal: o.signal ?? new AbortController().signal,
  });
  return result;
}

describe("container exec: programs", () => {
  const cases: {
    name: string;
    container?: string;
    command: string[];
    stdout?: string | RegExp;
    stderr?: string | RegExp;
    code?: number;
  }[] = [
    { name: "hostname is the pod name", command: ["hostname"], stdout: "mon-abcde\n" },
    { name: "hostname -i is the pod IP", command: ["hostname", "-i"], stdout: "10.244.1.7\n" },
    {
      name: "printenv resolves fieldRefs",
      command: ["printenv", "NODE_NAME", "POD_NAME", "POD_NAMESPACE", "POD_IP", "APP"],
      stdout: "node1\nmon-abcde\nmonitoring\n10.244.1.7\nmon\n",
    },
    {
      name: "printenv expands $(VAR) references",
      command: ["printenv", "GREETING"],
      stdout: "hello from node1\n",
    },
    {
      name: "printenv reads ConfigMap and Secret keys",
      command: ["printenv", "COLOR", "TOKEN"],
      stdout: "blue\ns3cr3t\n",
    },
    { name: "printenv divides resource limits", command: ["printenv", "MEM_LIMIT_MI"], stdout: "256\n" },
    { name: "printenv fails for an unset variable", command: ["printenv", "NOPE"], stdout: "", code: 1 },
    {
      name: "env starts with PATH and HOSTNAME and ends with HOME",
      command: ["env"],
      stdout:
        /^PATH=\/usr\/local\/sbin:[^\n]*\nHOSTNAME=mon-abcde\nNGINX_VERSION=1\.27\.3\n[\s\S]*KUBERNETES_SERVICE_HOST=10\.96\.0\.1\n[\s\S]*HOME=\/root\n$/,
    },
    { name: "cat /etc/hostname", command: ["cat", "/etc/hostname"], stdout: "mon-abcde\n" },
    {
      name: "cat /etc/hosts is kubelet-managed",
      command: ["cat", "/etc/hosts"],
      stdout:
        /^# Kubernetes-managed hosts file\.\n127\.0\.0\.1\tlocalhost\n[\s\S]*10\.244\.1\.7\tmon-abcde\n$/,
    },
    {
      name: "cat /etc/resolv.conf for ClusterFirst",
      command: ["cat", "/etc/resolv.conf"],
      stdout:
        "search monitoring.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n",
    },
    {
      name: "cat /etc/os-release of a Debian image",
      command: ["cat", "/etc/os-release"],
      stdout: /^PRETTY_NAME="Debian GNU\/Linux 12 \(bookworm\)"\n/,
    },
    {
      name: "busybox has no /etc/os-release",
      container: "tools",
      command: ["cat", "/etc/os-release"],
      stderr: "cat: can't open '/etc/os-release': No such file or directory\n",
      code: 1,
    },
    {
      name: "GNU cat words a missing file differently",
      command: ["cat", "/nope"],
      stderr: "cat: /nope: No such file or directory\n",
      code: 1,
    },
    {
      name: "cat /proc/1/cmdline is NUL-separated",
      container: "exporter",
      command: ["cat", "/proc/1/cmdline"],
      stdout: "/bin/node_exporter\0--path.rootfs=/host\0",
    },
    { name: "ls a mounted ConfigMap", command: ["ls", "/etc/app"], stdout: "app.conf\ncolor\n" },
    { name: "cat a ConfigMap key file", command: ["cat", "/etc/app/app.conf"], stdout: "listen 8080\n" },
    { name: "cat a decoded Secret key file", command: ["cat", "/var/run/creds/token"], stdout: "s3cr3t" },
    {
      name: "ls a missing directory (GNU)",
      command: ["ls", "/nope"],
      stderr: "ls: cannot access '/nope': No such file or directory\n",
      code: 2,
    },
    { name: "echo", command: ["echo", "a", "b"], stdout: "a b\n" },
    { name: "date on the clock", command: ["date"], stdout: "Sat Mar  1 12:01:00 UTC 2025\n" },
    {
      name: "date +FORMAT",
      command: ["date", "+%Y-%m-%dT%H:%M:%S %s"],
      stdout: "2025-03-01T12:01:00 1740830460\n",
    },
    { name: "id as root", command: ["id"], stdout: "uid=0(root) gid=0(root) groups=0(root)\n" },
    { name: "node-exporter runs as nobody", container: "exporter", command: ["whoami"], stdout: "nobody\n" },
    { name: "uname", command: ["uname"], stdout: "Linux\n" },
    {
      name: "uname -a",
      command: ["uname", "-a"],
      stdout: "Linux mon-abcde 6.1.0-everynode #1 SMP PREEMPT_DYNAMIC x86_64 GNU/Linux\n",
    },
    {
      name: "ps lists nginx and itself",
      command: ["ps", "aux"],
      stdout: /nginx: master process nginx -g daemon off;\n[\s\S]*nginx: worker process\n[\s\S]* ps aux\n$/,
    },
    {
      name: "busybox ps",
      container: "tools",
      command: ["ps"],
      stdout:
        /^PID {3}USER {5}TIME {2}COMMAND\n {4}1 root {6}0:00 sh -c sleep 3600\n +\d+ root {6}0:00 ps\n$/,
    },
    { name: "true", command: ["true"], stdout: "" },
    { name: "false", command: ["false"], code: 1 },
    { name: "sleep 0", command: ["sleep", "0"], stdout: "" },
    {
      name: "curl the nginx welcome page",
      command: ["curl", "-s", "http://localhost/"],
      stdout: /<title>Welcome to nginx!<\/title>/,
    },
    {
      name: "curl -I shows nginx's headers",
      command: ["curl", "-sI", "localhost"],
      stdout: /^HTTP\/1\.1 200 OK\r\nServer: nginx\/1\.27\.3\r\n/,
    },
    {
      name: "curl -w http_code of a missing page",
      command: ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "localhost/nope"],
      stdout: "404",
    },
    {
      name: "curl -f fails on 404",
      command: ["curl", "-sSf", "localhost/nope"],
      stderr: "curl: (22) The requested URL returned error: 404\n",
      code: 22,
    },
    {
      name: "curl a closed port",
      command: ["curl", "localhost:8080"],
      stderr: "curl: (7) Failed to connect to localhost port 8080 after 0 ms: Couldn't connect to server\n",
      code: 7,
    },
    {
      name: "curl an unknown host",
      command: ["curl", "-sS", "http://elsewhere/"],
      stderr: "curl: (6) Could not resolve host: elsewhere\n",
      code: 6,
    },
    {
      name: "the exporter answers on localhost from the nginx container too",
      command: ["curl", "-s", "localhost:9100/metrics"],
      stdout: /^node_cpu_seconds_total\{cpu="3",mode="user"\} /m,
    },
    {
      name: "wget -qO- node-exporter metrics",
      container: "exporter",
      command: ["wget", "-qO-", "http://localhost:9100/metrics"],
      stdout:
        /# TYPE node_load1 gauge\nnode_load1 [\d.]+\n[\s\S]*node_memory_MemTotal_bytes 8\.589934592e\+09\n/,
    },
    {
      name: "busybox wget of a missing page",
      container: "exporter",
      command: ["wget", "-qO-", "localhost:9100/nope"],
      stderr: "wget: server returned error: HTTP/1.1 404 Not Found\n",
      code: 1,
    },
    {
      name: "busybox wget of a closed port",
      container: "exporter",
      command: ["wget", "-qO-", "localhost:8080"],
      stderr: "wget: can't connect to remote host (127.0.0.1): Connection refused\n",
      code: 1,
    },
    {
      name: "wget cannot save to the read-only root",
      container: "exporter",
      command: ["wget", "-q", "localhost:9100/metrics"],
      stderr: "wget: can't open 'metrics': Read-only file system\n",
      code: 1,
    },
    { name: "env NAME=value runs a program", command: ["env", "A=1", "printenv", "A"], stdout: "1\n" },
    {
      name: "sh -c chains with ; && ||",
      command: ["sh", "-c", "echo a && false || echo b; echo c"],
      stdout: "a\nb\nc\n",
    },
    { name: "sh -c exit code", command: ["sh", "-c", "exit 3"], code: 3 },
    {
      name: "sh -c pipelines through head, grep and wc",
      container: "exporter",
      command: ["sh", "-c", "wget -qO- localhost:9100/metrics | grep '^node_load' | head -n 1 | wc -l"],
      stdout: "1\n",
    },
    {
      name: "sh -c expands variables, substitutions and defaults",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, not a template
      command: ["sh", "-c", 'echo "$POD_NAME/$(hostname)/${UNSET:-none}/$?"'],
      stdout: "mon-abcde/mon-abcde/none/0\n",
    },
    {
      name: "sh -c redirects stderr to stdout and to /dev/null",
      command: ["sh", "-c", "cat /nope 2>&1; cat /nope 2>/dev/null; echo $?"],
      stdout: "cat: /nope: No such file or directory\n1\n",
    },
    {
      name: "dash reports a missing command with the line number",
      command: ["sh", "-c", "foo"],
      stderr: "sh: 1: foo: not found\n",
      code: 127,
    },
    {
      name: "busybox reports a missing command",
      container: "tools",
      command: ["sh", "-c", "foo"],
      stderr: "sh: foo: not found\n",
      code: 127,
    },
    {
      name: "bash reports a missing command",
      command: ["bash", "-c", "foo"],
      stderr: "bash: line 1: foo: command not found\n",
      code: 127,
    },
    {
      name: "writing a file fails on the read-only root",
      command: ["sh", "-c", "echo x > /tmp/f"],
      stderr: "sh: 1: cannot create /tmp/f: Read-only file system\n",
      code: 2,
    },
    {
      name: "functions are refused clearly",
      command: ["sh", "-c", "f() { echo y; }"],
      stderr: "sh: 1: functions are not supported by the simulated shell\n",
      code: 2,
    },
    {
      name: "cd and pwd",
      command: ["sh", "-c", "cd /etc/app && pwd && ls"],
      stdout: "/etc/app\napp.conf\ncolor\n",
    },
    {
      name: "test and [",
      command: ["sh", "-c", "[ -f /etc/hosts ] && test -d /etc && [ 1 -lt 2 ] && echo yes"],
      stdout: "yes\n",
    },
    { name: "which", command: ["which", "curl", "sh"], stdout: "/usr/bin/curl\n/usr/bin/sh\n" },
    {
      name: "command -v of a missing program",
      container: "tools",
      command: ["sh", "-c", "command -v curl || echo none"],
      stdout: "none\n",
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const r = await run(c.container ?? "web", c.command);
      const check = (actual: string, expected: string | RegExp | undefined, what: string) => {
        if (expected === undefined) return;
        if (typeof expected === "string") assert.equal(actual, expected, what);
        else assert.match(actual, expected, what);
      };
      check(r.stdout, c.stdout, "stdout");
      check(r.stderr, c.stderr ?? (c.code ? undefined : ""), "stderr");
      assert.equal(r.code, c.code ?? 0, `exit code (stderr: ${r.stderr})`);
    });
  }
});

describe("container exec: missing executables and stopped containers", () => {
  const missing = [
    { container: "web", command: ["foo"], why: 'exec: "foo": executable file not found in $PATH: unknown' },
    {
      container: "exporter",
      command: ["bash"],
      why: 'exec: "bash": executable file not found in $PATH: unknown',
    },
    {
      container: "exporter",
      command: ["curl", "localhost"],
      why: 'exec: "curl": executable file not found in $PATH',
    },
    {
      container: "web",
      command: ["/opt/app/run"],
      why: 'exec: "/opt/app/run": stat /opt/app/run: no such file or directory: unknown',
    },
    { container: "static", command: ["sh"], why: 'exec: "sh": executable file not found in $PATH' },
  ];
  for (const m of missing) {
    it(`${m.container}: ${m.command[0]} fails as containerd reports it`, async () => {
      await assert.rejects(run(m.container, m.command), (err: unknown) => {
        assert.ok(err instanceof ApiError);
        assert.equal(err.code, 500);
        assert.equal(err.reason, "InternalError");
        assert.match(
          err.message,
          /^Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: /,
        );
        assert.ok(err.message.includes(m.why), err.message);
        return true;
      });
    });
  }

  it("a container that is not running cannot exec (the kubelet's message)", () => {
    const sim = new SimPod(structuredClone(POD), host(), T0);
    assert.throws(
      () => runningContainer(sim, "web"),
      (err: unknown) =>
        err instanceof ApiError &&
        err.code === 400 &&
        err.message === 'unable to upgrade connection: container not found ("web")',
    );
  });
});

describe("container exec: compound commands and arithmetic", () => {
  const script = (...lines: string[]) => lines.join("\n");
  const cases: {
    name: string;
    container?: string;
    command: string[];
    stdout?: string;
    stderr?: string;
    code?: number;
  }[] = [
    {
      name: "for over words, and arithmetic outside and inside double quotes",
      command: ["sh", "-c", 'for i in 1 2 3; do echo $i "next $((i+1))"; done; echo $(( (1+2) * -3 ))'],
      stdout: "1 next 2\n2 next 3\n3 next 4\n-9\n",
    },
    {
      name: "a script over several lines: while, if / elif / else, continue",
      command: [
        "sh",
        "-c",
        script(
          "i=0",
          "while [ $i -lt 4 ]",
          "do",
          "  i=$((i + 1))",
          "  if [ $i -eq 2 ]; then continue",
          "  elif [ $((i % 2)) -eq 1 ]; then echo odd $i",
          "  else echo even $i",
          "  fi",
          "done",
        ),
      ],
      stdout: "odd 1\nodd 3\neven 4\n",
    },
    {
      name: "case with alternatives, globs, brackets and quoted patterns",
      container: "tools",
      command: [
        "sh",
        "-c",
        script(
          "for f in app.conf x.log README 7 '*'; do",
          "  case $f in",
          '    *.conf|*.log) echo "config $f";;',
          "    [0-9]) echo digit;;",
          "    '*') echo star;;",
          "    R??D*) echo readme ;;",
          "  esac",
          "done",
        ),
      ],
      stdout: "config app.conf\nconfig x.log\nreadme\ndigit\nstar\n",
    },
    {
      name: "until, break N and continue N in nested loops",
      command: [
        "bash",
        "-c",
        script(
          "n=3; until [ $n -eq 0 ]; do n=$((n-1)); done; echo n=$n",
          "for i in 1 2 3; do for j in a b; do [ $j = b ] && continue 2; echo $i$j; done; done",
          "for i in 1 2; do for j in 1 2; do break 2; done; echo never; done; echo broke $?",
        ),
      ],
      stdout: "n=0\n1a\n2a\n3a\nbroke 0\n",
    },
    {
      name: "brace groups share the shell, subshells do not",
      command: ["sh", "-c", "x=1; { x=2; echo a; echo b; } | wc -l; (x=3; cd /etc; pwd); echo $x; pwd"],
      stdout: "2\n/etc\n2\n/\n",
    },
    {
      name: "$? after if, while and for follows POSIX",
      command: [
        "sh",
        "-c",
        "if false; then :; fi; echo $?; while false; do :; done; echo $?; for i in; do :; done; echo $?; for i in 1; do false; done; echo $?",
      ],
      stdout: "0\n0\n0\n1\n",
    },
    {
      name: "for without a word list walks the positional parameters",
      command: [
        "sh",
        "-c",
        'for a; do echo "<$a>"; done; set -- p q; for a in "$@"; do echo $a; done',
        "name",
        "x y",
        "z",
      ],
      stdout: "<x y>\n<z>\np\nq\n",
    },
    {
      name: "set -e does not apply to conditions and && lists, but does in a loop body",
      command: [
        "sh",
        "-c",
        "set -e; false && true; if false; then :; fi; ! true; echo ok; for i in 1 2; do echo $i; false; done; echo never",
      ],
      stdout: "ok\n1\n",
      code: 1,
    },
    {
      name: "dash names the line of a failing command inside a loop",
      command: ["sh", "-c", script("for i in 1", "do", "  foo", "done")],
      stderr: "sh: 3: foo: not found\n",
      code: 127,
    },
    {
      name: "dash: division by zero ends the shell",
      command: ["sh", "-c", "echo $((1/0)); echo after"],
      stderr: 'sh: 1: arithmetic expression: division by zero: "1/0"\n',
      code: 2,
    },
    {
      name: "busybox: division by zero ends the shell",
      container: "tools",
      command: ["sh", "-c", "x=0; echo $((5 % x))\necho after"],
      stderr: "sh: divide by zero\n",
      code: 2,
    },
    {
      name: "bash: division by zero drops the rest of the line and goes on with the next",
      command: ["bash", "-c", "echo $((1/0)); echo same line\necho next $?"],
      stdout: "next 1\n",
      stderr: 'bash: line 1: 1/0: division by 0 (error token is "0")\n',
    },
    {
      name: "busybox arithmetic syntax error",
      container: "tools",
      command: ["sh", "-c", "echo $((1 +))"],
      stderr: "sh: arithmetic syntax error\n",
      code: 2,
    },
    {
      name: "dash reads a variable as a number only",
      command: ["sh", "-c", "x=abc; echo $((x + 1))"],
      stderr: "sh: 1: Illegal number: abc\n",
      code: 2,
    },
    {
      name: "bash: break outside a loop",
      command: ["bash", "-c", "break; echo $?"],
      stdout: "0\n",
      stderr: "bash: line 1: break: only meaningful in a `for', `while', or `until' loop\n",
    },
    {
      name: "an unfinished loop is a syntax error",
      command: ["sh", "-c", "for i in 1 2; do echo $i"],
      stderr: 'sh: 1: syntax error: unexpected end of file (expecting "done")\n',
      code: 2,
    },
    {
      name: "an endless writer into a pipe stops once the pipe is full, as if it broke",
      container: "tools",
      command: [
        "sh",
        "-c",
        "s=0123456789abcdef; for i in 1 2 3 4 5 6 7 8 9; do s=$s$s; done; while :; do echo $s; done | head -n 1 | wc -c",
      ],
      stdout: "8193\n",
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const r = await run(c.container ?? "web", c.command);
      assert.equal(r.stdout, c.stdout ?? "", "stdout");
      assert.equal(r.stderr, c.stderr ?? "", "stderr");
      assert.equal(r.code, c.code ?? 0, `exit code (stderr: ${r.stderr})`);
    });
  }

  it("an endless loop lets the event loop run, and ends when the session's signal aborts", {
    timeout: 5000,
  }, async () => {
    const leave = new AbortController();
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 1);
    const running = run("web", ["sh", "-c", "while true; do echo x > /dev/null; done"], {
      signal: leave.signal,
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    const ticksWhileLooping = ticks;
    leave.abort();
    const r = await running;
    clearInterval(ticker);
    assert.ok(ticksWhileLooping > 0, "timers fired while the loop ran");
    assert.deepEqual(r, { code: 130, stdout: "", stderr: "" });
  });
});

describe("container exec: shells reading stdin", () => {
  it("sh with piped stdin runs each line until exit", async () => {
    const r = await run("tools", ["sh"], { stdin: ["echo one\nhost", "name\nexit 4\necho never\n"] });
    assert.deepEqual(r, { code: 4, stdout: "one\nmon-abcde\n", stderr: "" });
  });

  it("sh ends at end of input with the last status, and continues an open quote on the next line", async () => {
    const r = await run("web", ["sh"], { stdin: ["echo 'a\nb'\nfalse\n"] });
    assert.deepEqual(r, { code: 1, stdout: "a\nb\n", stderr: "" });
  });

  it("cat copies stdin through", async () => {
    const r = await run("web", ["cat"], { stdin: ["piped ", "input\n"] });
    assert.equal(r.stdout, "piped input\n");
  });

  it("a TTY echoes, edits, prompts and ends lines with CR LF (typed-ahead input is echoed at once)", async () => {
    const r = await run("tools", ["sh"], { tty: true, stdin: ["echo hii\x7f\r", "exit 2\r"] });
    assert.equal(r.code, 2);
    assert.equal(r.stdout, "/ # echo hii\b \b\r\nexit 2\r\nhi\r\n/ # ");
  });

  it("Ctrl-C interrupts a running command and Ctrl-D ends the shell", async () => {
    const { send, done, result } = typedSession();
    send("sleep 100\r");
    await new Promise((r) => setImmediate(r));
    send("\x03");
    await new Promise((r) => setImmediate(r));
    send("echo $?\r\x04");
    send("");
    assert.equal(await done, 0);
    assert.equal(
      result.stdout,
      "root@mon-abcde:/# sleep 100\r\n^C\r\nroot@mon-abcde:/# echo $?\r\n130\r\nroot@mon-abcde:/# exit\r\n",
    );
  });

  it("sh with piped stdin reads a loop over several lines", async () => {
    const r = await run("web", ["sh"], { stdin: ["for i in a b\n", "do echo $i\n", "done\necho end\n"] });
    assert.deepEqual(r, { code: 0, stdout: "a\nb\nend\n", stderr: "" });
  });

  it("a TTY shows the > prompt until a compound command is complete", async () => {
    const r = await run("tools", ["sh"], {
      tty: true,
      stdin: ["for i in 1 2\r", "do echo $((i * 10))\r", "done\r", "exit\r"],
    });
    assert.equal(r.code, 0);
    assert.equal(r.stdout, "/ # for i in 1 2\r\n> do echo $((i * 10))\r\n> done\r\nexit\r\n10\r\n20\r\n/ # ");
  });

  it("Ctrl-C stops an endless loop at the prompt", { timeout: 5000 }, async () => {
    const { send, done, result } = typedSession();
    send("while :; do :; done\r");
    await new Promise((r) => setTimeout(r, 20));
    send("\x03");
    await new Promise((r) => setTimeout(r, 20));
    send("echo $?\r\x04");
    send("");
    assert.equal(await done, 0);
    assert.equal(
      result.stdout,
      "root@mon-abcde:/# while :; do :; done\r\n^C\r\nroot@mon-abcde:/# echo $?\r\n130\r\nroot@mon-abcde:/# exit\r\n",
    );
  });

  it("an abort (the client left) ends a sleeping command", async () => {
    const leave = new AbortController();
    const running = run("web", ["sleep", "3600"], { signal: leave.signal });
    leave.abort();
    assert.equal((await running).code, 130);
  });
});
