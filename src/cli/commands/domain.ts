import type { Client } from "../client.ts";
import type { Command, CommandGroup, Invocation } from "../command.ts";
import { isoTime, printFields, printJson, printLine, printTable } from "../output.ts";
import { collectCursorPages } from "../pages.ts";

/** The records a domain needs, in the order they are shown. */
const RECORD_TYPES = ["ownership", "mx", "spf", "dkim", "feedback"] as const;
type RecordType = (typeof RECORD_TYPES)[number];

interface Domain {
  id: string;
  name: string;
  domain_address: string;
  branded: boolean;
  verified_ownership: boolean;
  verified_mx: boolean;
  verified_spf: boolean;
  verified_dkim: boolean;
  verified_feedback: boolean;
  created_at: number;
}

/** The answer of /info and /verify: one record, its state, and a sentence about it. */
interface Attempt {
  domain_id: string;
  status: "pending" | "done" | "failed";
  attempt: { type: string; options: { type: string; host: string; value: string; priority?: number } };
  message: string;
}

/** An id or the domain's address: the API accepts both in the path. */
const domainPath = (ref: string) => `/v3/admin/domains/${encodeURIComponent(ref)}`;

const add: Command = {
  name: "domain add",
  usage: "<domain> [--name N] [--json]",
  summary: "Register a domain and print the DNS records to publish",
  args: ["domain"],
  options: ["name"],
  switches: ["json"],
  async run(call) {
    const address = call.arg(0);
    const domain = (
      await call.client.post<Domain>("/v3/admin/domains", {
        name: call.option("name") ?? address,
        domain_address: address,
      })
    ).data;
    const records = await attempts(call.client, domain.id, "info", [...RECORD_TYPES]);
    if (call.json) return printJson({ domain, records });
    printLine(`Domain ${domain.domain_address} registered (id ${domain.id}).`);
    printLine(`Publish these DNS records, then run: agentbox domain verify ${domain.domain_address}`);
    printLine();
    printRecords(records, false);
  },
};

const list: Command = {
  name: "domain list",
  usage: "[--json]",
  summary: "List the registered domains",
  switches: ["json"],
  async run(call) {
    const domains = await collectCursorPages<Domain>(call.client, "/v3/admin/domains");
    if (call.json) return printJson(domains);
    const rows = domains.map((d) => [
      d.id,
      d.domain_address,
      d.name,
      verifiedSummary(d),
      isoTime(d.created_at),
    ]);
    printTable(["ID", "DOMAIN", "NAME", "VERIFIED", "CREATED"], rows, "No domains.");
  },
};

const info: Command = {
  name: "domain info",
  usage: "<id|domain> [--type T] [--json]",
  summary: `Show the DNS records of a domain and their state (T: ${RECORD_TYPES.join(", ")})`,
  args: ["id|domain"],
  options: ["type"],
  switches: ["json"],
  async run(call) {
    const records = await attempts(call.client, call.arg(0), "info", requestedTypes(call));
    if (call.json) return printJson(records);
    printRecords(records, true);
  },
};

const verify: Command = {
  name: "domain verify",
  usage: "<id|domain> [--type T] [--json]",
  summary: "Check the published DNS records (exits 1 if a check fails)",
  args: ["id|domain"],
  options: ["type"],
  switches: ["json"],
  async run(call) {
    const results = await attempts(call.client, call.arg(0), "verify", requestedTypes(call));
    if (call.json) printJson(results);
    else
      printTable(
        ["RECORD", "STATUS", "MESSAGE"],
        results.map((r) => [r.attempt.type, r.status, r.message]),
        "",
      );
    const failed = results.filter((r) => r.status !== "done").map((r) => r.attempt.type);
    if (failed.length > 0) {
      throw new Error(
        `verification failed for ${failed.join(", ")}; see: agentbox domain info ${call.arg(0)}`,
      );
    }
    if (!call.json) printLine(`\nAll ${results.length} checks passed.`);
  },
};

const get: Command = {
  name: "domain get",
  usage: "<id|domain> [--json]",
  summary: "Show one domain",
  args: ["id|domain"],
  switches: ["json"],
  async run(call) {
    const domain = (await call.client.get<Domain>(domainPath(call.arg(0)))).data;
    if (call.json) return printJson(domain);
    printFields([
      ["ID", domain.id],
      ["Domain", domain.domain_address],
      ["Name", domain.name],
      ["Trial", domain.branded ? "yes (needs no DNS)" : "no"],
      ["Verified", verifiedSummary(domain)],
      ["Created", isoTime(domain.created_at)],
    ]);
  },
};

function requestedTypes(call: Invocation): string[] {
  const type = call.option("type");
  return type === undefined ? [...RECORD_TYPES] : [type];
}

/** One /info or /verify call per type, in parallel, answers in the order asked. */
function attempts(
  client: Client,
  ref: string,
  action: "info" | "verify",
  types: string[],
): Promise<Attempt[]> {
  return Promise.all(
    types.map(async (type) => (await client.post<Attempt>(`${domainPath(ref)}/${action}`, { type })).data),
  );
}

function printRecords(records: Attempt[], withStatus: boolean): void {
  const headers = ["RECORD", ...(withStatus ? ["STATUS"] : []), "HOST", "TYPE", "PRIORITY", "VALUE"];
  const rows = records.map(({ attempt: { type, options }, status }) => [
    type,
    ...(withStatus ? [status] : []),
    options.host,
    options.type,
    options.priority === undefined ? "-" : String(options.priority),
    options.value,
  ]);
  printTable(headers, rows, "");
}

function verifiedSummary(domain: Domain): string {
  const verified = RECORD_TYPES.filter((type: RecordType) => domain[`verified_${type}`]);
  if (verified.length === RECORD_TYPES.length) return "all";
  return verified.length === 0 ? "none" : verified.join(",");
}

export const domainCommands: CommandGroup = {
  title: "Domains",
  commands: [add, list, get, info, verify],
};
