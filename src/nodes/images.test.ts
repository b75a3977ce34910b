import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { imageID, imageName, imageTag, qualifiedImage } from "./images.js";
import { PodIpPool, parseIPv4Cidr } from "./pod-ip-pool.js";

describe("image references", () => {
  const cases: [string, string, string, string][] = [
    ["nginx", "docker.io/library/nginx:latest", "nginx", "latest"],
    ["nginx:1.25", "docker.io/library/nginx:1.25", "nginx", "1.25"],
    ["prom/node-exporter:v1.8.2", "docker.io/prom/node-exporter:v1.8.2", "node-exporter", "v1.8.2"],
    [
      "quay.io/fluentd_elasticsearch/fluentd:v5.0.1",
      "quay.io/fluentd_elasticsearch/fluentd:v5.0.1",
      "fluentd",
      "v5.0.1",
    ],
    ["localhost:5000/app", "localhost:5000/app:latest", "app", "latest"],
    ["busybox@sha256:abc", "docker.io/library/busybox@sha256:abc", "busybox", "latest"],
  ];
  for (const [image, qualified, name, tag] of cases) {
    it(image, () => {
      assert.equal(qualifiedImage(image), qualified);
      assert.equal(imageName(image), name);
      assert.equal(imageTag(image), tag);
      assert.match(imageID(image), /@sha256:[0-9a-f]+$/);
    });
  }
  it("gives the same digest to the same image", () => {
    assert.equal(imageID("nginx"), imageID("docker.io/library/nginx:latest"));
  });
});

describe("PodIpPool", () => {
  it("hands out addresses of the pod CIDR, skipping network and gateway, reusing released ones", () => {
    const pool = new PodIpPool("10.244.3.0/24", "n");
    assert.equal(pool.allocate(), "10.244.3.2");
    pool.reserve("10.244.3.3");
    assert.equal(pool.allocate(), "10.244.3.4");
    pool.release("10.244.3.2");
    const next = Array.from({ length: 251 }, () => pool.allocate());
    assert.ok(next.includes("10.244.3.2"), "a released address comes round again");
    assert.ok(!next.some((ip) => /\.(0|1|255)$/.test(ip)), "never the network, gateway or broadcast address");
    assert.deepEqual(parseIPv4Cidr("10.244.3.7/24"), [0x0af40300, 24]);
  });
  it("falls back to a stable range when the node has no pod CIDR", () => {
    assert.equal(new PodIpPool(undefined, "a").allocate(), new PodIpPool(undefined, "a").allocate());
    assert.match(new PodIpPool(undefined, "a").allocate(), /^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.\d+\.2$/);
  });
});
