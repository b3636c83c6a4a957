import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { X509Certificate } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import tls from "node:tls";
import { loadOrCreateTls } from "../../src/tls/load.ts";
import { generateSelfSignedCertificate } from "../../src/tls/self-signed.ts";

const HOSTNAME = "mail.agentbox.test";

let dir: string;
let caFile: string;
let pair: { certPem: string; keyPem: string };
let server: Bun.TCPSocketListener<undefined>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "agentbox-tls-"));
  pair = generateSelfSignedCertificate({ hostnames: [HOSTNAME, "localhost"], ips: ["127.0.0.1", "::1"] });
  caFile = join(dir, "ca.pem");
  await writeFile(caFile, pair.certPem);
  server = Bun.listen({
    hostname: "127.0.0.1",
    port: 0,
    tls: { cert: pair.certPem, key: pair.keyPem },
    socket: {
      open(socket) {
        socket.write("220 agentbox ready\r\n");
      },
      data() {},
    },
  });
});

afterAll(async () => {
  server?.stop(true);
  await rm(dir, { recursive: true, force: true });
});

/** node:tls client verifying against the certificate as CA; resolves with the greeting or rejects. */
function nodeConnect(servername: string | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: "127.0.0.1", port: server.port, servername, ca: pair.certPem }, () => {
      socket.once("data", (chunk) => {
        socket.end();
        resolve(chunk.toString());
      });
    });
    socket.once("error", reject);
  });
}

/**
 * Python ssl client (OpenSSL), with VERIFY_X509_STRICT as Python >= 3.13 sets by default.
 * Must run asynchronously: the TLS server lives in this process's event loop.
 */
async function pythonConnect(serverHostname: string): Promise<{ code: number; out: string }> {
  const script = [
    "import socket, ssl, sys",
    "ctx = ssl.create_default_context(cafile=sys.argv[1])",
    "ctx.verify_flags |= ssl.VERIFY_X509_STRICT",
    "try:",
    "    with socket.create_connection(('127.0.0.1', int(sys.argv[2])), timeout=5) as raw:",
    "        with ctx.wrap_socket(raw, server_hostname=sys.argv[3]) as s:",
    "            print(s.version(), s.recv(100).decode().strip())",
    "except ssl.SSLCertVerificationError as e:",
    "    print('VERIFY-FAILED', e.verify_message)",
    "    sys.exit(3)",
  ].join("\n");
  const proc = Bun.spawn(["python3", "-c", script, caFile, String(server.port), serverHostname], {
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { code, out: out + err };
}

describe("generateSelfSignedCertificate", () => {
  test("is fast (ECDSA P-256)", () => {
    generateSelfSignedCertificate({ hostnames: ["localhost"], ips: ["127.0.0.1"] }); // warm-up
    const start = performance.now();
    generateSelfSignedCertificate({ hostnames: [HOSTNAME, "localhost"], ips: ["127.0.0.1", "::1"] });
    expect(performance.now() - start).toBeLessThan(200);
  });

  test("produces a valid, self-signed certificate with the requested names", () => {
    const cert = new X509Certificate(pair.certPem);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.subject).toContain(`CN=${HOSTNAME}`);
    expect(cert.subject).toBe(cert.issuer);
    expect(cert.checkHost("localhost")).toBe("localhost");
    expect(cert.checkHost(HOSTNAME)).toBe(HOSTNAME);
    expect(cert.checkHost("other.example")).toBeUndefined();
    expect(cert.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(cert.checkIP("::1")).toBe("::1");
    expect(cert.checkIP("10.0.0.1")).toBeUndefined();
    const validForDays = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 86_400_000;
    expect(validForDays).toBe(825);
    expect(Date.parse(cert.validFrom)).toBeLessThan(Date.now());
  });

  test("honours days and rejects bad input", () => {
    const { certPem } = generateSelfSignedCertificate({ hostnames: ["localhost"], ips: [], days: 30 });
    const cert = new X509Certificate(certPem);
    expect((Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 86_400_000).toBe(30);
    expect(() => generateSelfSignedCertificate({ hostnames: [], ips: [] })).toThrow();
    expect(() => generateSelfSignedCertificate({ hostnames: ["bad host"], ips: [] })).toThrow(
      /invalid hostname/,
    );
    expect(() => generateSelfSignedCertificate({ hostnames: [], ips: ["300.1.1.1"] })).toThrow(/invalid IP/);
  });

  test.skipIf(!Bun.which("openssl"))(
    "openssl parses it and verifies it strictly as its own trust anchor",
    async () => {
      const text = Bun.spawnSync(["openssl", "x509", "-in", caFile, "-noout", "-text"]).stdout.toString();
      expect(text).toContain("ecdsa-with-SHA256");
      expect(text).toContain("CA:FALSE");
      expect(text).toContain("TLS Web Server Authentication");
      expect(text).toContain(
        `DNS:${HOSTNAME}, DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1`,
      );
      const verify = (host: string) =>
        Bun.spawnSync([
          "openssl",
          "verify",
          "-x509_strict",
          "-purpose",
          "sslserver",
          "-verify_hostname",
          host,
          "-CAfile",
          caFile,
          caFile,
        ]);
      expect(verify("localhost").exitCode).toBe(0);
      expect(verify("other.example").exitCode).not.toBe(0);
    },
  );
});

describe("TLS server with the generated certificate", () => {
  test("node:tls verifies it for localhost and 127.0.0.1", async () => {
    expect(await nodeConnect("localhost")).toBe("220 agentbox ready\r\n");
    expect(await nodeConnect(HOSTNAME)).toBe("220 agentbox ready\r\n");
    expect(await nodeConnect(undefined)).toBe("220 agentbox ready\r\n"); // IP address, no SNI
  });

  test("node:tls rejects a host name not in the certificate", async () => {
    await expect(nodeConnect("other.example")).rejects.toMatchObject({
      code: "ERR_TLS_CERT_ALTNAME_INVALID",
    });
  });

  test("node:tls createServer accepts the certificate too", async () => {
    const nodeServer = tls.createServer({ cert: pair.certPem, key: pair.keyPem }, (s) => s.end("hi"));
    await new Promise<void>((resolve) => nodeServer.listen(0, "127.0.0.1", resolve));
    const address = nodeServer.address();
    const port = typeof address === "object" && address ? address.port : 0;
    const got = await new Promise<string>((resolve, reject) => {
      const socket = tls.connect({ host: "127.0.0.1", port, servername: "localhost", ca: pair.certPem });
      let data = "";
      socket.on("data", (c) => {
        data += c.toString();
      });
      socket.on("end", () => resolve(data));
      socket.on("error", reject);
    });
    nodeServer.close();
    expect(got).toBe("hi");
  });

  test.skipIf(!Bun.which("python3"))("Python ssl verifies it for localhost and 127.0.0.1", async () => {
    for (const host of ["localhost", "127.0.0.1", HOSTNAME]) {
      const result = await pythonConnect(host);
      expect(result.out).toContain("220 agentbox ready");
      expect(result.code).toBe(0);
    }
  });

  test.skipIf(!Bun.which("python3"))("Python ssl rejects a host name not in the certificate", async () => {
    const result = await pythonConnect("other.example");
    expect(result.code).toBe(3);
    expect(result.out).toContain("VERIFY-FAILED");
    expect(result.out).toMatch(/mismatch/i);
  });
});

describe("loadOrCreateTls", () => {
  test("generates once (key mode 0600), then reuses the same files", async () => {
    const dataDir = join(dir, "data1");
    const first = await loadOrCreateTls({ dataDir, hostname: HOSTNAME });
    expect(first.generated).toBe(true);
    expect(first.certPath).toBe(join(dataDir, "tls", "cert.pem"));
    expect(first.keyPath).toBe(join(dataDir, "tls", "key.pem"));
    expect((await stat(first.keyPath)).mode & 0o777).toBe(0o600);
    expect(await readFile(first.certPath, "utf8")).toBe(first.cert);
    expect(await readFile(first.keyPath, "utf8")).toBe(first.key);
    const cert = new X509Certificate(first.cert);
    expect(cert.checkHost(HOSTNAME)).toBe(HOSTNAME);
    expect(cert.checkHost("localhost")).toBe("localhost");
    expect(cert.checkIP("127.0.0.1")).toBe("127.0.0.1");

    const second = await loadOrCreateTls({ dataDir, hostname: HOSTNAME });
    expect(second.generated).toBe(false);
    expect(second.cert).toBe(first.cert);
    expect(second.key).toBe(first.key);
  });

  test("regenerates its own certificate when the host name changes", async () => {
    const dataDir = join(dir, "data2");
    const first = await loadOrCreateTls({ dataDir, hostname: HOSTNAME });
    const second = await loadOrCreateTls({ dataDir, hostname: "other.agentbox.test" });
    expect(second.generated).toBe(true);
    expect(second.cert).not.toBe(first.cert);
    expect(new X509Certificate(second.cert).checkHost("other.agentbox.test")).toBe("other.agentbox.test");
  });

  test("uses configured files and never writes to the data directory", async () => {
    const dataDir = join(dir, "data3");
    const certPath = join(dir, "custom-cert.pem");
    const keyPath = join(dir, "custom-key.pem");
    await writeFile(certPath, pair.certPem);
    await writeFile(keyPath, pair.keyPem);
    const got = await loadOrCreateTls({ dataDir, certPath, keyPath, hostname: HOSTNAME });
    expect(got).toEqual({ cert: pair.certPem, key: pair.keyPem, certPath, keyPath, generated: false });
    expect(existsSync(join(dataDir, "tls"))).toBe(false);
  });

  test("a missing or inconsistent configured file gives a clear error", async () => {
    const dataDir = join(dir, "data4");
    const keyPath = join(dir, "custom-key.pem");
    const missing = join(dir, "nope", "cert.pem");
    await expect(
      loadOrCreateTls({ dataDir, certPath: missing, keyPath, hostname: HOSTNAME }),
    ).rejects.toThrow(`cannot read certificate file ${missing}: file not found`);
    await expect(loadOrCreateTls({ dataDir, certPath: missing, hostname: HOSTNAME })).rejects.toThrow(
      /must be set together/,
    );
    const otherCert = join(dir, "other-cert.pem");
    await writeFile(otherCert, generateSelfSignedCertificate({ hostnames: ["localhost"], ips: [] }).certPem);
    await expect(
      loadOrCreateTls({ dataDir, certPath: otherCert, keyPath, hostname: HOSTNAME }),
    ).rejects.toThrow(/does not match/);
  });
});
