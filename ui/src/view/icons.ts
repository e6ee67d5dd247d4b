// Status icons as inline SVG: a distinct shape per status, coloured by CSS,
// always next to a word (the icon itself is hidden from screen readers).

import type { RowStatus } from "../labels";

const NS = "http://www.w3.org/2000/svg";

function svg(name: string, attrs: Record<string, string>): SVGElement {
  const el = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
}

function shapes(status: RowStatus): SVGElement[] {
  switch (status) {
    case "pass": // a tick in a filled circle
      return [
        svg("circle", { class: "shape", cx: "12", cy: "12", r: "11" }),
        svg("path", { class: "glyph-stroke", d: "M6.5 12.5l3.5 3.5 7.5-8" }),
      ];
    case "warn": // "!" in a filled triangle
      return [
        svg("path", { class: "shape", d: "M12 1.5L23 21.5H1z" }),
        svg("path", { class: "glyph-stroke", d: "M12 8.5v6" }),
        svg("circle", { class: "glyph-fill", cx: "12", cy: "18", r: "1.4" }),
      ];
    case "fail": // a cross in a filled octagon
      return [
        svg("path", { class: "shape", d: "M7.4 1h9.2L23 7.4v9.2L16.6 23H7.4L1 16.6V7.4z" }),
        svg("path", { class: "glyph-stroke", d: "M8 8l8 8M16 8l-8 8" }),
      ];
    case "unknown": // "?" in an outlined circle
      return [
        svg("circle", { class: "outline", cx: "12", cy: "12", r: "10" }),
        svg("path", { class: "line", d: "M9.2 9.3a2.9 2.9 0 1 1 4 2.7c-.8.4-1.2 1-1.2 1.8v.7" }),
        svg("circle", { class: "dot", cx: "12", cy: "17.6", r: "1.3" }),
      ];
    case "skipped":
    case "stopped": // a dash in an outlined circle
      return [
        svg("circle", { class: "outline", cx: "12", cy: "12", r: "10" }),
        svg("path", { class: "line", d: "M7.5 12h9" }),
      ];
    case "pending": // a ring with a moving arc
      return [
        svg("circle", { class: "track", cx: "12", cy: "12", r: "9" }),
        svg("path", { class: "arc", d: "M12 3a9 9 0 0 1 9 9" }),
      ];
  }
}

export function statusIcon(status: RowStatus, extraClass = ""): SVGElement {
  const el = svg("svg", {
    class: `icon icon-${status}${extraClass ? " " + extraClass : ""}`,
    viewBox: "0 0 24 24",
    width: "24",
    height: "24",
    "aria-hidden": "true",
    focusable: "false",
  });
  for (const s of shapes(status)) el.appendChild(s);
  return el;
}

/** A chevron for disclosure buttons; CSS turns it when expanded. */
export function chevron(): SVGElement {
  const el = svg("svg", {
    class: "chevron",
    viewBox: "0 0 16 16",
    width: "16",
    height: "16",
    "aria-hidden": "true",
    focusable: "false",
  });
  el.appendChild(svg("path", { d: "M6 3.5L10.5 8 6 12.5" }));
  return el;
}

/** A shield: this button asks for an administrator password. */
export function shield(extraClass = ""): SVGElement {
  const el = svg("svg", {
    class: `shield${extraClass ? " " + extraClass : ""}`,
    viewBox: "0 0 24 24",
    width: "20",
    height: "20",
    "aria-hidden": "true",
    focusable: "false",
  });
  el.appendChild(
    svg("path", {
      class: "shield-body",
      d: "M12 2l8 3v6.5c0 5-3.4 9.2-8 10.5-4.6-1.3-8-5.5-8-10.5V5z",
    }),
  );
  el.appendChild(svg("path", { class: "shield-mark", d: "M12 5.2v13.6" }));
  return el;
}
