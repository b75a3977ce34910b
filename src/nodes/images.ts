// Container image references as a container runtime reports them: the fully qualified name shown in
// containerStatuses[].image, a stable digest for imageID, and the tag that the simulation treats as missing.
import { createHash } from "node:crypto";

/** An image whose tag is this fails to pull (DESIGN.md simulation controls). */
export const MISSING_IMAGE_TAG = "non-existent";

export interface ImageRef {
  /** Registry host, e.g. "docker.io". */
  domain: string;
  /** Repository path without the domain, e.g. "library/nginx". */
  path: string;
  tag?: string;
  digest?: string;
}

function isDomain(component: string): boolean {
  return component.includes(".") || component.includes(":") || component === "localhost";
}

/** Parses an image reference the way the Docker reference grammar normalises it. */
export function parseImage(image: string): ImageRef {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.indexOf("/");
  let domain = "docker.io";
  if (slash >= 0 && isDomain(rest.slice(0, slash))) {
    domain = rest.slice(0, slash);
    rest = rest.slice(slash + 1);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const path = domain === "docker.io" && !rest.includes("/") ? `library/${rest}` : rest;
  return { domain, path, tag, digest };
}

/** The name a runtime reports once the image is present, e.g. "docker.io/library/nginx:latest". */
export function qualifiedImage(image: string): string {
  const ref = parseImage(image);
  const base = `${ref.domain}/${ref.path}`;
  if (ref.digest) return ref.tag ? `${base}:${ref.tag}@${ref.digest}` : `${base}@${ref.digest}`;
  return `${base}:${ref.tag ?? "latest"}`;
}

/** A stable repo digest for the image, e.g. "docker.io/library/nginx@sha256:…". */
export function imageID(image: string): string {
  const ref = parseImage(image);
  const digest = ref.digest ?? `sha256:${createHash("sha256").update(qualifiedImage(image)).digest("hex")}`;
  return `${ref.domain}/${ref.path}@${digest}`;
}

/** The last path component of the repository ("nginx", "fluentd", "node-exporter"). */
export function imageName(image: string): string {
  const path = parseImage(image).path;
  return path.slice(path.lastIndexOf("/") + 1);
}

export function imageTag(image: string): string {
  return parseImage(image).tag ?? "latest";
}

/** A plausible, stable size in bytes for the Pulled event. */
export function imageSize(image: string): number {
  const hash = createHash("sha256").update(image).digest();
  return 2_000_000 + (hash.readUInt32BE(0) % 80_000_000);
}

/** The message of a failed pull, as containerd words a missing tag. */
export function pullFailureMessage(image: string): string {
  const q = qualifiedImage(image);
  return (
    `Failed to pull image "${image}": rpc error: code = NotFound desc = failed to pull and unpack image ` +
    `"${q}": failed to resolve reference "${q}": ${q}: not found`
  );
}
