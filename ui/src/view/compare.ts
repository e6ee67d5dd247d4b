// The two networks side by side: what it means first, then what each network
// showed, then every check whose result changed, in words as well as icons.

import type { Status } from "../bindings";
import { clockTime, comparisonView, type ChangeView, type NetworkView } from "../compare";
import type { State } from "../model";
import type { Tone } from "../outcome";
import { STATUS_WORD, type RowStatus } from "../labels";
import { h, replaceChildren, srOnly } from "./dom";
import { statusIcon } from "./icons";
import type { Handlers, Screen } from "./screen";

const TONE_ICON: Record<Tone, RowStatus> = {
  problem: "fail",
  warning: "warn",
  ok: "pass",
  unknown: "unknown",
  stopped: "stopped",
};

function statusWord(s: Status): HTMLSpanElement {
  return h(
    "span",
    { class: "change-status", "data-status": s },
    statusIcon(s),
    h("span", {}, STATUS_WORD[s]),
  );
}

function networkCard(n: NetworkView, index: number): HTMLElement {
  const id = `network-${String(index)}`;
  const time = clockTime(n.generatedAt);
  return h(
    "section",
    { class: "network", "aria-labelledby": id },
    h("h2", { id }, n.name ? `${n.label}: ${n.name}` : n.label),
    time && h("p", { class: "hint" }, `Checked at ${time}`),
    n.problems.length > 0
      ? h(
          "div",
          {},
          h(
            "p",
            { class: "network-verdict", "data-found": "problems" },
            statusIcon("fail"),
            h("span", {}, "Problems found:"),
          ),
          h("ul", {}, ...n.problems.map((p) => h("li", {}, p))),
        )
      : h(
          "p",
          { class: "network-verdict", "data-found": "none" },
          statusIcon("pass"),
          h("span", {}, "No problems that stop Zoom."),
        ),
    n.alsoNoticed.length > 0 &&
      h(
        "div",
        { class: "network-also" },
        h("p", {}, "Also noticed:"),
        h("ul", {}, ...n.alsoNoticed.map((p) => h("li", {}, p))),
      ),
  );
}

function changeItem(c: ChangeView): HTMLLIElement {
  return h(
    "li",
    { class: "change", "data-id": c.id },
    h(
      "p",
      { class: "change-line" },
      // The words carry it all; the arrow and icons are for the eye.
      srOnly(
        `${c.title}: ${STATUS_WORD[c.before]} on the first network, ${STATUS_WORD[c.after]} on the second.`,
      ),
      h(
        "span",
        { "aria-hidden": "true" },
        h("span", { class: "change-title" }, `${c.title}:`),
        " ",
        statusWord(c.before),
        h("span", { class: "arrow" }, " → "),
        statusWord(c.after),
      ),
    ),
    h("p", { class: "change-summary" }, `First network: ${c.beforeSummary}`),
    h("p", { class: "change-summary" }, `Second network: ${c.afterSummary}`),
  );
}

export class CompareScreen implements Screen {
  readonly element: HTMLElement;
  private readonly body: HTMLDivElement = h("div", { class: "compare-body" });
  private readonly startOver: HTMLButtonElement;
  private shown: unknown = undefined;

  constructor(state: State, handlers: Handlers) {
    this.startOver = h(
      "button",
      { type: "button", class: "primary", id: "start-over" },
      "Start over",
    );
    this.startOver.addEventListener("click", () => {
      handlers.startOver();
    });
    this.element = h(
      "div",
      { class: "screen compare" },
      this.body,
      h("div", { class: "actions" }, this.startOver),
      h(
        "p",
        { class: "hint" },
        "Start over forgets both results; nothing was saved on this computer.",
      ),
    );
    this.update(state);
  }

  update(state: State): void {
    if (this.shown === state.comparison) return;
    this.shown = state.comparison;
    if (!state.comparison) {
      replaceChildren(
        this.body,
        h(
          "div",
          { class: "outcome tone-unknown" },
          statusIcon("pending", "outcome-icon"),
          h("h1", { tabindex: "-1" }, "Comparing the two networks…"),
        ),
      );
      return;
    }
    const v = comparisonView(state.comparison, state.baseline?.report ?? null, state.report);
    replaceChildren(
      this.body,
      h(
        "div",
        { class: `outcome tone-${v.tone}` },
        statusIcon(TONE_ICON[v.tone], "outcome-icon"),
        h("h1", { tabindex: "-1" }, v.headline),
      ),
      h("p", { class: "lead advice" }, v.advice),
      h("div", { class: "networks" }, ...v.networks.map((n, i) => networkCard(n, i + 1))),
      h(
        "section",
        { class: "changes", "aria-labelledby": "changes-heading" },
        h("h2", { id: "changes-heading" }, "What changed between the two networks"),
        v.changes.length > 0
          ? h("ul", { class: "change-list", role: "list" }, ...v.changes.map(changeItem))
          : h("p", {}, "No check changed: every check gave the same result on both networks."),
      ),
    );
  }

  focusTarget(): HTMLElement {
    return this.startOver;
  }
}
