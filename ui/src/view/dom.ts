// A tiny element builder. Text goes in as text nodes, never as HTML.

type AttrValue = string | number | boolean | null | undefined;
export type Child = Node | string | null | undefined | false;

export type Props = Record<string, AttrValue | ((e: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (typeof value === "function") {
      el.addEventListener(name.replace(/^on/, "").toLowerCase(), value);
    } else if (value === true) {
      el.setAttribute(name, "");
    } else if (value !== false && value !== null && value !== undefined) {
      el.setAttribute(name, String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
  }
}

/** Replaces all children. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** Text only screen readers read. */
export function srOnly(text: string): HTMLSpanElement {
  return h("span", { class: "visually-hidden" }, text);
}

/** An id-safe form of a check id ("tcp.443" → "tcp-443"). */
export function idPart(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, "-");
}
