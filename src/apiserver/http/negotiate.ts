// Content negotiation for responses: meta.k8s.io Table (what `kubectl get` asks for), YAML, or JSON.

export type ResponseFormat = "json" | "yaml" | "table";

export function responseFormat(accept: string | undefined): ResponseFormat {
  if (!accept) return "json";
  for (const part of accept.split(",")) {
    const p = part.trim();
    if (/as=Table/.test(p) && /g=meta\.k8s\.io/.test(p)) return "table";
    const type = p.split(";")[0].trim();
    if (type === "application/json" || type === "*/*" || type === "application/*") return "json";
    if (type === "application/yaml") return "yaml";
  }
  return "json";
}
