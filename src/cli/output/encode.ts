/**
 * Values from flow files and from the org (flow names, types, action names, messages that quote
 * them) encoded for where they are printed: a terminal, a GitHub workflow command, Markdown.
 * Encoders keep the value readable: a control character is shown as `\x1b` or `\u009b`, never
 * dropped silently.
 */

/**
 * Characters a terminal or a log viewer acts on: C0 controls (ESC starts ANSI/OSC sequences, BEL
 * ends OSC, CR and LF start a new line a value could forge), DEL, C1 controls (U+009B is a
 * one-character CSI), the line and paragraph separators, and the bidirectional controls that
 * reorder what is shown ("Trojan Source", CVE-2021-42574).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** The value with every control character written as an escape (`\n`, `\x1b`, `\u009b`). */
export function terminalSafe(value: string): string {
  return value.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return NAMED[c] ?? (code < 0x80 ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`);
  });
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/**
 * A GitHub workflow command's message (`::error …::MESSAGE`): `%`, CR and LF percent-encoded, as
 * `escapeData` in https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts. Make
 * each value `terminalSafe` first; line breaks left in the message are the formatter's own.
 */
export function githubCommandValue(message: string): string {
  return message.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A GitHub workflow command's property value: also `:` and `,` (toolkit's `escapeProperty`). */
export function githubCommandProperty(value: string): string {
  return githubCommandValue(terminalSafe(value)).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** A zero-width space: breaks what GitHub would turn into a mention, a link or a reference. */
const ZWSP = '\u200b';

/**
 * What GitHub links or notifies in rendered text, made inert: `@name` mentions (and e-mail
 * addresses), `https://` and `www.` autolinks, `#123` references. GitHub finds them in the text
 * after Markdown is rendered, so escapes and entities do not stop them; a zero-width space does.
 */
function inert(text: string): string {
  return text
    .replace(/@/g, `@${ZWSP}`)
    .replace(/:\/\//g, `:${ZWSP}//`)
    .replace(/www\./gi, (m) => `${m.slice(0, 3)}${ZWSP}.`)
    .replace(/#(?=\w)/g, `#${ZWSP}`);
}

/**
 * A value inline in Markdown (a table cell, a sentence): every character CommonMark or GitHub's
 * extensions give a meaning to is backslash-escaped (CommonMark §2.4), so no emphasis, link,
 * image, HTML tag, heading, table cell break, strikethrough or math comes out of it; line breaks
 * and controls are escapes (`terminalSafe`), so it stays on its line.
 */
export function markdownInline(value: string): string {
  return inert(terminalSafe(value).replace(/[\\`*_[\]()<>#|!~&$]/g, '\\$&'));
}

/**
 * A value inside raw HTML (`<summary>…</summary>`). CommonMark passes an HTML block through
 * unread (§4.6), so HTML's characters become entities and `</details>` in a name stays text; the
 * characters Markdown gives a meaning to become entities too, so the value is just as inert should
 * a renderer read Markdown there.
 */
export function markdownHtmlText(value: string): string {
  return inert(terminalSafe(value)).replace(/[&<>"'\\`*_[\]()#|!~$]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A fenced code block around `lines` that nothing in them can close: the fence is one backtick
 * longer than the longest run of backticks in the content, at least three (CommonMark §4.5).
 */
export function markdownFence(lines: readonly string[], info = ''): string {
  const body = lines.map(terminalSafe).join('\n');
  let longest = 0;
  for (const m of body.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${body}\n${fence}`;
}
