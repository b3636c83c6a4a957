/**
 * mailauth's SPF, DKIM, DMARC and ARC checks, with the verdict reduced to what rules and the API
 * need. Runs on an auth-pool thread (auth-pool/worker.ts): mailauth's header parser is quadratic
 * in folded lines, so on the main thread one crafted message could hold every listener.
 */
import { authenticate } from "mailauth";
import { unverified, type Verification, type VerifyInput } from "./auth-verdict.ts";

export async function checkMessage(raw: Uint8Array, input: VerifyInput): Promise<Verification> {
  try {
    const result = await authenticate(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), {
      ip: input.ip,
      helo: input.helo || input.ip,
      // SPF of the null sender is checked against the HELO name (RFC 7208 §2.4).
      sender: input.sender || `postmaster@${input.helo || input.ip}`,
      mta: input.mta,
      resolver: input.resolver,
      disableBimi: true,
    });
    const dmarc = result.dmarc;
    return {
      headers: result.headers,
      verdict: {
        spf: {
          result: result.spf ? result.spf.status.result : "none",
          domain: result.spf ? result.spf.domain : null,
        },
        // mailauth reports "no signature" as one result without a domain: that is an empty list here.
        dkim: (result.dkim.results ?? [])
          .filter((r) => r.signingDomain)
          .map((r) => ({
            result: r.status.result,
            domain: r.signingDomain ?? null,
            selector: r.selector ?? null,
            aligned: Boolean((r.status as { aligned?: unknown }).aligned),
          })),
        dmarc: dmarc
          ? {
              result: dmarc.status.result,
              domain: dmarc.domain ?? null,
              policy: dmarc.policy ?? dmarc.p ?? null,
            }
          : { result: "none", domain: null, policy: null },
        arc: { result: result.arc ? result.arc.status.result : "none" },
      },
    };
  } catch (err) {
    // A failure of the checker itself must not lose the message: it is stored as unverified.
    return unverified(input.mta, err instanceof Error ? err.message : String(err));
  }
}
