export type VerificationType = "ownership" | "mx" | "spf" | "dkim" | "feedback";

export interface DomainDnsContext {
  domainAddress: string;
  ownershipToken: string;
  dkimSelector: string;
  dkimPublicKeyBase64: string;
  /** The host name of this server, where MX records must point. */
  mailHostname: string;
}

/** A record the operator must publish; `host` is fully qualified. */
export interface ExpectedRecord {
  type: "TXT" | "MX";
  host: string;
  value: string;
  priority?: number;
}

const MX_PRIORITY = 10;

export function expectedRecord(kind: VerificationType, ctx: DomainDnsContext): ExpectedRecord {
  const domain = ctx.domainAddress;
  switch (kind) {
    case "ownership":
      return { type: "TXT", host: domain, value: `agentbox-ownership-verify=${ctx.ownershipToken}` };
    case "mx":
      return { type: "MX", host: domain, value: ctx.mailHostname, priority: MX_PRIORITY };
    case "spf":
      return { type: "TXT", host: domain, value: `v=spf1 a:${ctx.mailHostname} ~all` };
    case "dkim":
      return {
        type: "TXT",
        host: `${ctx.dkimSelector}._domainkey.${domain}`,
        value: `v=DKIM1; k=rsa; p=${ctx.dkimPublicKeyBase64}`,
      };
    case "feedback":
      return { type: "MX", host: `bounces.${domain}`, value: ctx.mailHostname, priority: MX_PRIORITY };
  }
}
