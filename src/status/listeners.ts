/** How a listener protects its connections: TLS from the first byte, STARTTLS, or none. */
export type ListenerTls = "implicit" | "starttls" | "none";

/** One bound listener, as the status page and `GET /v3/admin/status` show it. */
export interface Listener {
  name: string;
  protocol: "http" | "imap" | "smtp";
  address: string;
  port: number;
  tls: ListenerTls;
}

export interface BoundPorts {
  http: number;
  imaps: number;
  imap: number | null;
  smtps: number;
  submission: number;
  mx: number;
}

/** The listeners of a started server, from its bound ports (port 0 in the config resolved). */
export function describeListeners(address: string, ports: BoundPorts): Listener[] {
  const all: (Listener | null)[] = [
    { name: "http", protocol: "http", address, port: ports.http, tls: "none" },
    { name: "imaps", protocol: "imap", address, port: ports.imaps, tls: "implicit" },
    ports.imap === null
      ? null
      : { name: "imap", protocol: "imap", address, port: ports.imap, tls: "starttls" },
    { name: "smtps", protocol: "smtp", address, port: ports.smtps, tls: "implicit" },
    { name: "submission", protocol: "smtp", address, port: ports.submission, tls: "starttls" },
    { name: "mx", protocol: "smtp", address, port: ports.mx, tls: "starttls" },
  ];
  return all.filter((l): l is Listener => l !== null);
}
