/**
 * Deployment events as chat messages.
 * - Slack: a Block Kit message for an incoming webhook, `{text, blocks}`: `text` is the
 *   notification's fallback; a header (plain text, at most 150 characters), a section of fields
 *   (at most 10, each at most 2000 characters) and a context line
 *   (https://docs.slack.dev/reference/block-kit/blocks, https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks).
 *   `&`, `<` and `>` are escaped in mrkdwn (https://docs.slack.dev/messaging/formatting-message-text#escaping).
 * - Teams: an Adaptive Card 1.4 in the message envelope that Teams incoming webhooks and Workflows
 *   accept, `{type: "message", attachments: [{contentType: "application/vnd.microsoft.card.adaptive", content}]}`
 *   (https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using#send-adaptive-cards-using-an-incoming-webhook).
 */
import type { DeploymentEvent } from './model.js';

/** Results that call for attention, and those that are good news. */
const BAD = new Set(['failed', 'rolled-back', 'degraded', 'partial']);
const GOOD = new Set(['succeeded', 'healthy']);

/** `✅`, `❌` or `⚠️` for a result, and the title of the message. */
function headline(e: DeploymentEvent): { icon: string; title: string } {
  const icon = e.result && BAD.has(e.result) ? '❌' : e.result && GOOD.has(e.result) ? '✅' : '⚠️';
  const what = e.flow ? e.flow.name : `deployment ${e.deploymentId}`;
  return { icon, title: `${e.type}${e.result ? ` ${e.result}` : ''}: ${what}` };
}

/** The facts every format shows, as label/value pairs. */
function facts(e: DeploymentEvent): Array<[string, string]> {
  const out: Array<[string, string]> = [
    ['Deployment', e.deploymentId],
    ['Org', e.org],
    ['By', e.actor || 'unknown'],
  ];
  if (e.flow) out.push(['Flow', `${e.flow.name} (${e.flow.type})`]);
  if (e.versionBefore || e.versionAfter)
    out.push(['Version', `${e.versionBefore ?? 'none'} → ${e.versionAfter ?? 'none'}`]);
  if (e.result) out.push(['Result', e.result]);
  return out;
}

const clip = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);
/** Slack mrkdwn: the three characters its docs say to escape. */
const mrkdwn = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A Slack Block Kit message for an incoming webhook. */
export function slackMessage(e: DeploymentEvent): unknown {
  const { icon, title } = headline(e);
  return {
    text: clip(`${icon} flowgate ${title}: ${e.message}`, 3000),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: clip(`${icon} ${title}`, 150), emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: clip(mrkdwn(e.message), 3000) } },
      {
        type: 'section',
        fields: facts(e).map(([k, v]) => ({ type: 'mrkdwn', text: clip(`*${k}*\n${mrkdwn(v)}`, 2000) })),
      },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: clip(mrkdwn(`flowgate · ${e.time} · event ${e.id}`), 3000) }],
      },
    ],
  };
}

/** A Teams message: the Adaptive Card of the event in the envelope incoming webhooks accept. */
export function teamsMessage(e: DeploymentEvent): unknown {
  const { icon, title } = headline(e);
  const color =
    e.result && BAD.has(e.result) ? 'Attention' : e.result && GOOD.has(e.result) ? 'Good' : 'Warning';
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            {
              type: 'TextBlock',
              text: `${icon} ${title}`,
              weight: 'Bolder',
              size: 'Medium',
              color,
              wrap: true,
            },
            { type: 'TextBlock', text: e.message, wrap: true },
            { type: 'FactSet', facts: facts(e).map(([title, value]) => ({ title, value })) },
            {
              type: 'TextBlock',
              text: `flowgate · ${e.time} · event ${e.id}`,
              isSubtle: true,
              size: 'Small',
              wrap: true,
            },
          ],
        },
      },
    ],
  };
}
