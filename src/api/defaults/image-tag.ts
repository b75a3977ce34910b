// The tag of a container image reference, as kubelet's parsers.ParseImageName sees it: the default
// imagePullPolicy is Always only for `:latest` (explicit or implied by an untagged, undigested name).

const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const DOMAIN_LABEL = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = `${DOMAIN_LABEL}(?:\\.${DOMAIN_LABEL})*(?::[0-9]+)?`;
const pathRe = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const domainRe = new RegExp(`^${DOMAIN}$`);
const tagRe = /^[\w][\w.-]{0,127}$/;
const digestRe = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

/** Docker's splitDockerDomain: the first component is a registry when it looks like a host. */
function isValidName(name: string): boolean {
  const slash = name.indexOf("/");
  if (slash < 0) return pathRe.test(name);
  const first = name.slice(0, slash);
  const isDomain = /[.:]/.test(first) || first === "localhost" || first.toLowerCase() !== first;
  return isDomain ? domainRe.test(first) && pathRe.test(name.slice(slash + 1)) : pathRe.test(name);
}

/** The image's tag; "latest" when it has neither tag nor digest; "" when digest-only or unparseable. */
export function imageTag(image: string): string {
  let rest = image;
  let digest = "";
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!digestRe.test(digest)) return "";
  }
  let tag = "";
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!tagRe.test(tag)) return "";
  }
  if (!isValidName(rest)) return "";
  return tag === "" && digest === "" ? "latest" : tag;
}

/** SetDefaults_Container's imagePullPolicy. */
export const defaultPullPolicy = (image: string): "Always" | "IfNotPresent" =>
  imageTag(image) === "latest" ? "Always" : "IfNotPresent";
