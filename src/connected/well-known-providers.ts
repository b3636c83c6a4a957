/**
 * Mail providers known by their address's domain: what POST /v3/providers/detect answers, and the
 * IMAP and SMTP servers POST /v3/connect/custom fills in when `imap_host` is left out. Nylas
 * answers `google` and `microsoft` for their domains (its OAuth connectors) and `imap` with a
 * `type` for the IMAP providers it knows.
 */
export interface WellKnownProvider {
  provider: "google" | "microsoft" | "imap";
  /** The IMAP sub-type Nylas names (icloud, yahoo…); absent for google and microsoft. */
  type?: string;
  imap: { host: string; port: number };
  smtp: { host: string; port: number };
  /** The provider files what its SMTP sends into Sent itself: no APPEND after a send. */
  savesSent: boolean;
}

const YAHOO: WellKnownProvider = {
  provider: "imap",
  type: "yahoo",
  imap: { host: "imap.mail.yahoo.com", port: 993 },
  smtp: { host: "smtp.mail.yahoo.com", port: 465 },
  savesSent: true,
};
const ICLOUD: WellKnownProvider = {
  provider: "imap",
  type: "icloud",
  imap: { host: "imap.mail.me.com", port: 993 },
  smtp: { host: "smtp.mail.me.com", port: 587 },
  savesSent: false,
};
const AOL: WellKnownProvider = {
  provider: "imap",
  type: "aol",
  imap: { host: "imap.aol.com", port: 993 },
  smtp: { host: "smtp.aol.com", port: 465 },
  savesSent: true,
};
const GMX_COM: WellKnownProvider = {
  provider: "imap",
  type: "gmx",
  imap: { host: "imap.gmx.com", port: 993 },
  smtp: { host: "mail.gmx.com", port: 587 },
  savesSent: false,
};
const GMX_NET: WellKnownProvider = {
  ...GMX_COM,
  imap: { host: "imap.gmx.net", port: 993 },
  smtp: { host: "mail.gmx.net", port: 587 },
};
const FASTMAIL: WellKnownProvider = {
  provider: "imap",
  type: "fastmail",
  imap: { host: "imap.fastmail.com", port: 993 },
  smtp: { host: "smtp.fastmail.com", port: 465 },
  savesSent: false,
};
const ZOHO: WellKnownProvider = {
  provider: "imap",
  type: "zoho",
  imap: { host: "imap.zoho.com", port: 993 },
  smtp: { host: "smtp.zoho.com", port: 465 },
  savesSent: false,
};
const YANDEX: WellKnownProvider = {
  provider: "imap",
  type: "yandex",
  imap: { host: "imap.yandex.com", port: 993 },
  smtp: { host: "smtp.yandex.com", port: 465 },
  savesSent: true,
};
const OUTLOOK: WellKnownProvider = {
  provider: "microsoft",
  imap: { host: "outlook.office365.com", port: 993 },
  smtp: { host: "smtp-mail.outlook.com", port: 587 },
  savesSent: true,
};
const GMAIL: WellKnownProvider = {
  provider: "google",
  imap: { host: "imap.gmail.com", port: 993 },
  smtp: { host: "smtp.gmail.com", port: 465 },
  savesSent: true,
};

const BY_DOMAIN: Record<string, WellKnownProvider> = {
  "gmail.com": GMAIL,
  "googlemail.com": GMAIL,
  "outlook.com": OUTLOOK,
  "hotmail.com": OUTLOOK,
  "live.com": OUTLOOK,
  "msn.com": OUTLOOK,
  "yahoo.com": YAHOO,
  "ymail.com": YAHOO,
  "rocketmail.com": YAHOO,
  "yahoo.co.uk": YAHOO,
  "yahoo.fr": YAHOO,
  "yahoo.de": YAHOO,
  "yahoo.co.jp": YAHOO,
  "icloud.com": ICLOUD,
  "me.com": ICLOUD,
  "mac.com": ICLOUD,
  "aol.com": AOL,
  "aim.com": AOL,
  "gmx.com": GMX_COM,
  "gmx.us": GMX_COM,
  "gmx.net": GMX_NET,
  "gmx.de": GMX_NET,
  "gmx.at": GMX_NET,
  "gmx.ch": GMX_NET,
  "fastmail.com": FASTMAIL,
  "fastmail.fm": FASTMAIL,
  "zoho.com": ZOHO,
  "zohomail.com": ZOHO,
  "yandex.com": YANDEX,
  "yandex.ru": YANDEX,
};

export function wellKnownProvider(email: string): WellKnownProvider | undefined {
  const domain = email.slice(email.lastIndexOf("@") + 1).toLowerCase();
  return BY_DOMAIN[domain];
}

/** A provider known by its IMAP host, for what only the host tells (does it file sent mail). */
export function wellKnownByImapHost(host: string): WellKnownProvider | undefined {
  const h = host.toLowerCase();
  return Object.values(BY_DOMAIN).find((p) => p.imap.host === h);
}
