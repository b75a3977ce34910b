// The cluster's PKI, generated into the data dir on first start and reused after: a CA, the API server's
// serving certificate (for 127.0.0.1 and localhost) and an admin client certificate (O=system:masters) for
// the kubeconfig. ECDSA P-256 keys through WebCrypto: generation takes milliseconds.
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKey = webcrypto.CryptoKey;

const ALG = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const TEN_YEARS_MS = 3650 * 24 * 3600 * 1000;

export interface CertAndKey {
  cert: string;
  key: string;
}

export interface ClusterPki {
  ca: CertAndKey;
  server: CertAndKey;
  admin: CertAndKey;
}

async function keyPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", key));
  const b64 = der.toString("base64").replace(/(.{64})/g, "$1\n");
  return `-----BEGIN PRIVATE KEY-----\n${b64}${b64.endsWith("\n") ? "" : "\n"}-----END PRIVATE KEY-----\n`;
}

async function importKey(pem: string): Promise<CryptoKey> {
  const b64 = pem.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, "");
  return webcrypto.subtle.importKey("pkcs8", Buffer.from(b64, "base64"), ALG, true, ["sign"]);
}

function serial(): string {
  return Buffer.from(webcrypto.getRandomValues(new Uint8Array(16)))
    .toString("hex")
    .replace(/^[89a-f]/, "1");
}

/** A new self-signed CA (ten years), as every cluster's PKI starts; tests also sign etcd's certificates with one. */
export async function createCa(): Promise<CertAndKey> {
  const keys = await webcrypto.subtle.generateKey(ALG, true, ["sign", "verify"]);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: "CN=everynode-ca",
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + TEN_YEARS_MS),
    keys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString("pem"), key: await keyPem(keys.privateKey) };
}

async function issue(
  ca: CertAndKey,
  subject: string | x509.JsonName,
  usage: "server" | "client",
  validity: { notBefore: Date; notAfter: Date } = {
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + TEN_YEARS_MS),
  },
): Promise<CertAndKey> {
  const caCert = new x509.X509Certificate(ca.cert);
  const caKey = await importKey(ca.key);
  const keys = await webcrypto.subtle.generateKey(ALG, true, ["sign", "verify"]);
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(
      x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
      true,
    ),
    new x509.ExtendedKeyUsageExtension([
      usage === "server" ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth,
    ]),
    await x509.AuthorityKeyIdentifierExtension.create(caCert),
  ];
  if (usage === "server") {
    extensions.push(
      new x509.SubjectAlternativeNameExtension([
        { type: "dns", value: "localhost" },
        { type: "dns", value: "kubernetes" },
        { type: "dns", value: "kubernetes.default" },
        { type: "ip", value: "127.0.0.1" },
        { type: "ip", value: "::1" },
      ]),
    );
  }
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject,
    issuer: caCert.subject,
    notBefore: validity.notBefore,
    notAfter: validity.notAfter,
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: ALG,
    extensions,
  });
  return { cert: cert.toString("pem"), key: await keyPem(keys.privateKey) };
}

/**
 * A client certificate signed by the cluster CA for a user (CN) and its groups (one O each), as the API server's
 * x509 authenticator reads them; `kubectl --client-certificate` and the tests use it.
 */
export function issueClientCertificate(
  ca: CertAndKey,
  user: { username: string; groups?: string[] },
  validity?: { notBefore: Date; notAfter: Date },
): Promise<CertAndKey> {
  const subject: x509.JsonName = [{ CN: [user.username] }, ...(user.groups ?? []).map((g) => ({ O: [g] }))];
  return issue(ca, subject, "client", validity);
}

/** A serving certificate for localhost, 127.0.0.1 and ::1 (and the kubernetes service names) signed by `ca`. */
export function issueServerCertificate(ca: CertAndKey, commonName: string): Promise<CertAndKey> {
  return issue(ca, `CN=${commonName}`, "server");
}

function load(dir: string, name: string): CertAndKey | undefined {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  if (!existsSync(cert) || !existsSync(key)) return undefined;
  return { cert: readFileSync(cert, "utf8"), key: readFileSync(key, "utf8") };
}

function save(dir: string, name: string, ck: CertAndKey): void {
  writeFileSync(join(dir, `${name}.crt`), ck.cert, { mode: 0o644 });
  writeFileSync(join(dir, `${name}.key`), ck.key, { mode: 0o600 });
}

/** Loads the PKI from `<dataDir>/pki`, creating what is missing; a restart keeps the same CA and certificates. */
export async function ensureClusterPki(dataDir: string): Promise<ClusterPki> {
  const dir = join(dataDir, "pki");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let ca = load(dir, "ca");
  let fresh = false;
  if (!ca) {
    ca = await createCa();
    save(dir, "ca", ca);
    fresh = true;
  }
  let server = fresh ? undefined : load(dir, "apiserver");
  if (!server) {
    server = await issueServerCertificate(ca, "kube-apiserver");
    save(dir, "apiserver", server);
  }
  let admin = fresh ? undefined : load(dir, "admin");
  if (!admin) {
    admin = await issue(ca, "CN=kubernetes-admin, O=system:masters", "client");
    save(dir, "admin", admin);
  }
  return { ca, server, admin };
}
