import { readFileSync } from "node:fs";
import { UsageError } from "../args.ts";
import type { Client } from "../client.ts";
import type { Command, CommandGroup } from "../command.ts";
import { isoTime, printFields, printJson, printLine, printNote, printTable } from "../output.ts";
import { collectOffsetPages } from "../pages.ts";
import { Progress } from "../progress.ts";
import { readSecret } from "../secret-input.ts";

/** The Nylas grant object, as far as the CLI shows it. */
export interface Grant {
  id: string;
  email: string;
  name: string | null;
  provider: string;
  grant_status: string;
  settings: { email?: string; policy_id?: string };
  created_at: number;
  updated_at: number;
}

/** An id or an email: the API accepts both in the path. */
const grantPath = (ref: string) => `/v3/grants/${encodeURIComponent(ref)}`;

const create: Command = {
  name: "account create",
  usage: "<email> [--app-password P] [--name N] [--policy-id ID]",
  summary: "Create an agent account (IMAP/SMTP access only with --app-password)",
  args: ["email"],
  options: ["app-password", "name", "policy-id"],
  switches: ["json"],
  async run(call) {
    const password = call.option("app-password");
    const policyId = call.option("policy-id");
    const settings = {
      email: call.arg(0),
      ...(password !== undefined && { app_password: password }),
      ...(policyId !== undefined && { policy_id: policyId }),
    };
    const name = call.option("name");
    const result = await call.client.post<Grant>("/v3/connect/custom", {
      provider: "nylas",
      settings,
      ...(name !== undefined && { name }),
    });
    if (call.json) return printJson(result.data);
    // 200 instead of 201: the address existed and its settings were replaced (Nylas re-authentication).
    printLine(
      result.status === 201 ? "Account created." : "Account already existed: its settings were updated.",
    );
    printFields([
      ...grantFields(result.data),
      [
        "IMAP/SMTP",
        password ? "enabled (app password set)" : "disabled (no app password; set one with --app-password)",
      ],
    ]);
  },
};

const connectImap: Command = {
  name: "account connect-imap",
  usage:
    "<email> --host H [--port 993] [--smtp-host H] [--smtp-port 587] [--username U] [--name N] [--password-stdin] [--json]",
  summary:
    "Connect a person's existing IMAP account (password asked, or read with --password-stdin; never an argument)",
  args: ["email"],
  options: ["host", "port", "smtp-host", "smtp-port", "username", "name"],
  switches: ["password-stdin", "json"],
  async run(call) {
    const email = call.arg(0);
    const host = call.option("host");
    const password = await readSecret(`IMAP password for ${email}: `, call.switch("password-stdin"));
    const smtpHost = call.option("smtp-host");
    const port = call.positiveInt("port");
    const smtpPort = call.positiveInt("smtp-port");
    const name = call.option("name");
    const username = call.option("username");
    const result = await call.client.post<Grant>("/v3/connect/custom", {
      provider: "imap",
      settings: {
        imap_username: username ?? email,
        imap_password: password,
        ...(username !== undefined && { email }),
        ...(host !== undefined && { imap_host: host }),
        ...(port !== undefined && { imap_port: port }),
        ...(smtpHost !== undefined && { smtp_host: smtpHost }),
        ...(smtpPort !== undefined && { smtp_port: smtpPort }),
      },
      ...(name !== undefined && { name }),
    });
    if (call.json) return printJson(result.data);
    printLine("IMAP account connected: the provider accepted the login; its mail is being synced.");
    printFields(grantFields(result.data));
  },
};

const list: Command = {
  name: "account list",
  usage: "[--limit N] [--json]",
  summary: "List the accounts of the application",
  options: ["limit"],
  switches: ["json"],
  async run(call) {
    const grants = await collectOffsetPages<Grant>(call.client, "/v3/grants", call.positiveInt("limit"));
    if (call.json) return printJson(grants);
    const rows = grants.map((g) => [g.id, g.email, g.name ?? "", g.grant_status, isoTime(g.created_at)]);
    printTable(["ID", "EMAIL", "NAME", "STATUS", "CREATED"], rows, "No accounts.");
  },
};

const get: Command = {
  name: "account get",
  usage: "<id|email> [--json]",
  summary: "Show one account",
  args: ["id|email"],
  switches: ["json"],
  async run(call) {
    const grant = (await call.client.get<Grant>(grantPath(call.arg(0)))).data;
    if (call.json) return printJson(grant);
    printFields(grantFields(grant));
  },
};

const update: Command = {
  name: "account update",
  usage: "<id|email> [--app-password P] [--name N] [--json]",
  summary: "Set a new app password (enables IMAP/SMTP) and/or rename an account",
  args: ["id|email"],
  options: ["app-password", "name"],
  switches: ["json"],
  async run(call) {
    const password = call.option("app-password");
    const name = call.option("name");
    if (password === undefined && name === undefined) {
      throw new UsageError("nothing to update: pass --app-password and/or --name");
    }
    const grant = (await call.client.get<Grant>(grantPath(call.arg(0)))).data;
    const body = {
      ...(password !== undefined && { settings: replacementSettings(grant, password) }),
      ...(name !== undefined && { name }),
    };
    const updated = (await call.client.patch<Grant>(grantPath(grant.id), body)).data;
    if (call.json) return printJson(updated);
    printLine("Account updated.");
    const access: [string, string][] = password ? [["IMAP/SMTP", "enabled (new app password set)"]] : [];
    printFields([...grantFields(updated), ...access]);
  },
};

const remove: Command = {
  name: "account delete",
  usage: "<id|email> --yes",
  summary: "Delete an account and its mailbox",
  args: ["id|email"],
  switches: ["yes"],
  async run(call) {
    const ref = call.arg(0);
    if (!call.switch("yes")) {
      throw new UsageError(`refusing to delete ${ref} and all its mail without confirmation: pass --yes`);
    }
    await call.client.delete(grantPath(ref));
    printLine(`Account ${ref} deleted.`);
  },
};

/** PATCH replaces `settings` wholesale: re-send the email and keep the policy. */
function replacementSettings(grant: Grant, password: string) {
  const policyId = grant.settings.policy_id;
  return { email: grant.email, app_password: password, ...(policyId && { policy_id: policyId }) };
}

function grantFields(grant: Grant): [string, string][] {
  return [
    ["ID", grant.id],
    ["Email", grant.email],
    ["Name", grant.name ?? "-"],
    ["Status", grant.grant_status],
    ["Policy", grant.settings.policy_id ?? "-"],
    ["Created", isoTime(grant.created_at)],
    ["Updated", isoTime(grant.updated_at)],
  ];
}

/** How many accounts the application has (for `status`). */
export async function countAccounts(client: Client): Promise<number> {
  return (await collectOffsetPages<Grant>(client, "/v3/grants")).length;
}

/** `email[,name]` lines (a header line and blank lines are skipped). */
function parseAccountLines(text: string): { email: string; name?: string }[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#") && !/^email\s*(,|$)/i.test(line))
    .map((line) => {
      const [email = "", ...rest] = line.split(",");
      const name = rest.join(",").trim();
      return { email: email.trim(), ...(name && { name }) };
    });
}

const createMany: Command = {
  name: "account create-many",
  usage: "<file> [--json]",
  summary:
    "Create the accounts a file lists (email[,name] a line); existing ones are left as they are; progress on stderr",
  args: ["file"],
  switches: ["json"],
  async run(call) {
    const accounts = parseAccountLines(readFileSync(call.arg(0), "utf8"));
    if (accounts.length === 0)
      throw new UsageError(`${call.arg(0)} lists no account (expected email[,name] lines)`);
    const progress = new Progress(accounts.length, "accounts");
    const outcome = { created: 0, existing: 0, failed: [] as { email: string; error: string }[] };
    let next = 0;
    const worker = async () => {
      while (next < accounts.length) {
        const account = accounts[next++];
        if (!account) continue;
        try {
          const found = await call.client.get<Grant[]>("/v3/grants", { email: account.email, limit: 1 });
          if (found.data.length > 0) outcome.existing++;
          else {
            await call.client.post<Grant>("/v3/connect/custom", {
              provider: "nylas",
              settings: { email: account.email },
              ...(account.name !== undefined && { name: account.name }),
            });
            outcome.created++;
          }
        } catch (err) {
          outcome.failed.push({
            email: account.email,
            error: err instanceof Error ? err.message : String(err),
          });
        }
        const done = outcome.created + outcome.existing + outcome.failed.length;
        progress.update(done, done, done === accounts.length);
      }
    };
    await Promise.all(Array.from({ length: Math.min(BULK_CONCURRENCY, accounts.length) }, worker));
    if (call.json) printJson(outcome);
    else {
      for (const f of outcome.failed) printNote(`failed: ${f.email}: ${f.error}`);
      printLine(
        `Created ${outcome.created} accounts; ${outcome.existing} already existed; ${outcome.failed.length} failed.`,
      );
    }
    if (outcome.failed.length > 0)
      throw new Error(`${outcome.failed.length} of ${accounts.length} accounts could not be created`);
  },
};

/** Requests in flight while creating accounts in bulk. */
const BULK_CONCURRENCY = 8;

export const accountCommands: CommandGroup = {
  title: "Accounts",
  commands: [create, createMany, connectImap, list, get, update, remove],
};
