// Fixes on the Done screen: under each cause, the fixes Meeting Doctor can
// make here as "Fix it" buttons in repair order (the ones it can't make say
// why, quietly, under "Details"); and "Changes made", the history, with
// Undo where there is something to undo.

import type { Cause, HistoryEntry } from "../bindings";
import { fixesForCause, historyText, lastTryText } from "../fixes";
import type { FixesState } from "../model";
import { h, idPart, replaceChildren, srOnly } from "./dom";
import { chevron, shield } from "./icons";
import type { Handlers } from "./screen";

/** Puts focus back on the element in `container` matching what had it before a re-render. */
function keepFocus(container: HTMLElement, render: () => void): void {
  const active = document.activeElement;
  const key =
    active instanceof HTMLElement && container.contains(active)
      ? (active.dataset.focusKey ?? null)
      : null;
  render();
  if (key === null) return;
  for (const el of container.querySelectorAll<HTMLElement>("[data-focus-key]")) {
    if (el.dataset.focusKey === key) {
      el.focus();
      return;
    }
  }
}

/** The fixes of one cause. */
export class CauseFixesView {
  readonly element: HTMLElement;
  private shown: {
    suggestions: FixesState["suggestions"];
    error: string | null;
    last: FixesState["last"];
  } | null = null;

  constructor(
    private readonly cause: Cause,
    private readonly handlers: Pick<Handlers, "openFix">,
  ) {
    this.element = h("div", { class: "cause-fixes", "data-cause": cause.id });
  }

  update(fixes: FixesState): void {
    const s = this.shown;
    if (s?.suggestions === fixes.suggestions && s.error === fixes.error && s.last === fixes.last)
      return;
    this.shown = { suggestions: fixes.suggestions, error: fixes.error, last: fixes.last };
    keepFocus(this.element, () => {
      this.render(fixes);
    });
  }

  private render(fixes: FixesState): void {
    if (fixes.suggestions === null) {
      replaceChildren(
        this.element,
        h(
          "p",
          { class: "fixes-note" },
          fixes.error
            ? `Meeting Doctor couldn't work out which fixes it can make here (${fixes.error}).`
            : "Looking for fixes Meeting Doctor can make…",
        ),
      );
      return;
    }
    const { available, unavailable } = fixesForCause(fixes.suggestions, this.cause.id);
    if (available.length === 0 && unavailable.length === 0) {
      replaceChildren(this.element);
      return;
    }
    const headingId = `fixes-heading-${idPart(this.cause.id)}`;
    const rows = available.map((s) => {
      const p = s.preview;
      const titleId = `fix-title-${idPart(this.cause.id)}-${idPart(p.fix.id)}`;
      const button = h(
        "button",
        {
          type: "button",
          class: "secondary fix-it",
          "data-fix": p.fix.id,
          "data-focus-key": `fix:${p.fix.id}`,
          "aria-describedby": p.asks_password ? `${titleId}-admin` : null,
        },
        p.asks_password && shield(),
        h("span", {}, "Fix it"),
        srOnly(`: ${p.fix.title}`),
      );
      button.addEventListener("click", () => {
        this.handlers.openFix(p.fix.id, button);
      });
      const last = fixes.last[p.fix.id];
      return h(
        "li",
        { class: "fix", "data-fix": p.fix.id },
        h(
          "div",
          { class: "fix-text" },
          h("p", { class: "fix-title", id: titleId }, p.fix.title),
          h("p", { class: "fix-why" }, p.fix.why),
          p.asks_password &&
            h(
              "p",
              { class: "fix-admin", id: `${titleId}-admin` },
              shield(),
              h("span", {}, "Asks for an administrator password"),
            ),
          last &&
            h(
              "p",
              { class: "fix-last" },
              h("strong", {}, "Last try: "),
              lastTryText(last.outcome, last.action),
            ),
        ),
        button,
      );
    });
    const why =
      unavailable.length === 0
        ? null
        : h(
            "details",
            { class: "fold fixes-unavailable" },
            h(
              "summary",
              {},
              chevron(),
              h(
                "span",
                {},
                available.length === 0
                  ? "Details: why Meeting Doctor can't fix this here"
                  : unavailable.length === 1
                    ? "Details: 1 more fix isn't possible here"
                    : `Details: ${String(unavailable.length)} more fixes aren't possible here`,
              ),
            ),
            h(
              "ul",
              { class: "unavailable-list" },
              ...unavailable.map((s) =>
                h(
                  "li",
                  { "data-fix": s.preview.fix.id },
                  h("span", { class: "unavailable-title" }, s.preview.fix.title),
                  ": ",
                  s.preview.reason ?? "It can't be done on this computer.",
                ),
              ),
            ),
          );
    replaceChildren(
      this.element,
      available.length > 0 &&
        h(
          "h3",
          { class: "fixes-heading", id: headingId },
          available.length === 1
            ? "Meeting Doctor can try a fix"
            : "Meeting Doctor can try these fixes",
        ),
      available.length > 0 &&
        h("ul", { class: "fix-list", role: "list", "aria-labelledby": headingId }, ...rows),
      why,
    );
  }
}

/** "Changes made": what Meeting Doctor changed on this computer, newest first, with Undo. */
export class HistoryView {
  readonly element: HTMLElement;
  private shown: HistoryEntry[] | null = null;

  constructor(private readonly handlers: Pick<Handlers, "undoChange">) {
    this.element = h("section", {
      id: "fixes",
      class: "history",
      "aria-labelledby": "history-heading",
      hidden: true,
    });
  }

  update(history: HistoryEntry[]): void {
    if (this.shown === history) return;
    this.shown = history;
    this.element.hidden = history.length === 0;
    keepFocus(this.element, () => {
      this.render(history);
    });
  }

  private render(history: HistoryEntry[]): void {
    const now = new Date();
    replaceChildren(
      this.element,
      h("h2", { id: "history-heading" }, "Changes made"),
      h(
        "ul",
        { class: "history-list", role: "list" },
        ...history.map((e) => {
          const undo = e.can_undo
            ? h(
                "button",
                {
                  type: "button",
                  class: "secondary undo",
                  "data-entry": e.id,
                  "data-focus-key": `undo:${e.id}`,
                },
                e.admin && shield(),
                h("span", {}, "Undo"),
                srOnly(`: ${e.title}`),
              )
            : null;
          undo?.addEventListener("click", () => {
            this.handlers.undoChange(e.id, undo);
          });
          return h(
            "li",
            { class: "history-item", "data-entry": e.id, "data-state": e.state },
            h(
              "div",
              { class: "history-text" },
              h("p", { class: "history-title" }, e.title),
              h("p", { class: "history-when" }, historyText(e, now)),
            ),
            undo,
          );
        }),
      ),
      h(
        "p",
        { class: "hint" },
        "Meeting Doctor notes every change before it makes it, so it can be put back.",
      ),
    );
  }
}
