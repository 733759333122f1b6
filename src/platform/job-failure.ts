/**
 * Which failures of an Architect job are transient. Architect runs Archy server-side behind
 * `/api/v2/flows/jobs` (docs/platform-api.md#import-jobs); when Archy is rate-limited inside the platform, the job ends in
 * `Failure` saying it "could not find the flow with id …" with Archy's exit code 107
 * (MyPureCloud/terraform-provider-genesyscloud issue #2061: "setting the Archy exit code to 107",
 * "Exception info: could not find the flow with id '…'").
 *
 * The rule is the Terraform provider's `isRetryableJobFailure`, exactly
 * (`genesyscloud/architect_flow/resource_genesyscloud_architect_flow_proxy.go`, introduced by commit
 * abbe1b4bf0e5dc4b546ff48ad92c2d703c76ae9d, #2214; unchanged at f955430e6bd4c0b56708d3abc06fb25a1e9031b7):
 *
 * ```go
 * return (strings.Contains(msg, "could not find the flow with id") && strings.Contains(msg, "exit code: 107")) ||
 *   (strings.Contains(msg, "could not find the flow with id") && strings.Contains(msg, "Archy failed"))
 * ```
 *
 * over the job's messages joined. The provider applies it to export jobs (five attempts, waits of
 * 15 s × attempt); flowgate applies it to import jobs, which run the same Archy service. Anything
 * else (a parse error, a missing queue, a lock) failed on the flow's content or the org's state
 * and is never retried.
 */

/** The two halves of the rule, case-sensitive as Go's `strings.Contains`. */
const FLOW_NOT_FOUND = 'could not find the flow with id';
const ARCHY_EXIT = ['exit code: 107', 'Archy failed'] as const;

/** True when a job's messages are the transient failure the Terraform provider retries. */
export function isTransientJobFailure(texts: readonly string[]): boolean {
  const msg = texts.join('\n');
  return msg.includes(FLOW_NOT_FOUND) && ARCHY_EXIT.some((t) => msg.includes(t));
}
