/**
 * Reads one page of the Architect Scripting SDK's documentation (JSDoc's default template, as
 * published in `MyPureCloud/purecloud-flow-scripting-api-sdk-javascript/docs/`) into plain data:
 * the classes it extends, its members with their types, its methods, and the descriptions.
 *
 * The pages are generated, so their markup is regular: the class body sits in
 * `<div class="main" id="main">`, sections start with `<h3 class="subsection-title">`, and every
 * member or method is an `<h4 class="name" id="…">` followed by a `<div class="description">`.
 * A page cut down to that main part (the test fixtures) reads the same as the whole page.
 */

/** One member or method of a documented class. */
export interface DocItem {
  /** The anchor id: the member's or method's name (`.name` for static members). */
  id: string;
  /** The type after `:` in a member's signature (`ArchActionOutput`), or '' for methods. */
  type: string;
  /** The description, as plain text with single spaces. */
  description: string;
}

/** A documented class page. */
export interface DocPage {
  name: string;
  /** Direct base classes, from the page's "Extends" list. */
  extends: string[];
  /** The class description (constructor overview), as plain text. */
  description: string;
  members: DocItem[];
  methods: DocItem[];
}

const MAIN = '<div class="main" id="main">';

/** Parses a page; `name` is the class name (the file name without `.html`). */
export function parseDocPage(name: string, html: string): DocPage {
  const start = html.indexOf(MAIN);
  const main = start >= 0 ? html.slice(start) : html;
  const sections = splitSections(main);
  const overview = between(main, '<div class="container-overview">', '<h3 class="subsection-title">') ?? main;
  return {
    name,
    extends: [...(sections.Extends ?? '').matchAll(/href="([A-Za-z0-9_]+)\.html"/g)].map((m) => m[1]!),
    description: firstDescription(overview),
    members: items(sections.Members ?? ''),
    methods: items(sections.Methods ?? ''),
  };
}

/** The text of each `<h3 class="subsection-title">` section, by its title. */
function splitSections(main: string): Record<string, string> {
  const out: Record<string, string> = {};
  const parts = main.split('<h3 class="subsection-title">');
  for (const part of parts.slice(1)) {
    const end = part.indexOf('</h3>');
    if (end < 0) continue;
    out[part.slice(0, end).trim()] = part.slice(end + 5);
  }
  return out;
}

function items(section: string): DocItem[] {
  const out: DocItem[] = [];
  const parts = section.split('<h4 class="name" id="');
  for (const part of parts.slice(1)) {
    const idEnd = part.indexOf('"');
    const sigEnd = part.indexOf('</h4>');
    if (idEnd < 0 || sigEnd < 0) continue;
    const signature = text(part.slice(idEnd + 2, sigEnd));
    const colon = signature.lastIndexOf(':');
    out.push({
      id: part.slice(0, idEnd),
      type: signature.includes('(') || colon < 0 ? '' : signature.slice(colon + 1).trim(),
      description: firstDescription(part.slice(sigEnd)),
    });
  }
  return out;
}

function firstDescription(html: string): string {
  return text(between(html, '<div class="description">', '</div>') ?? '');
}

function between(s: string, open: string, close: string): string | undefined {
  const a = s.indexOf(open);
  if (a < 0) return undefined;
  const b = s.indexOf(close, a + open.length);
  return b < 0 ? undefined : s.slice(a + open.length, b);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', nbsp: ' ', rarr: '→' };

/** Markup to plain text: tags dropped, the few entities JSDoc writes decoded, spaces collapsed. */
export function text(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#39|[a-z]+);/g, (m, e: string) => (e === '#39' ? "'" : (ENTITIES[e] ?? m)))
    .replace(/\s+/g, ' ')
    .trim();
}
