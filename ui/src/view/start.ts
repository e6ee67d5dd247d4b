// The first screen: what the app does, one big button, an optional error code.

import { ERROR_CODE_OPTIONS, GROUP_LABEL } from "../labels";
import { groupRows, type State } from "../model";
import { h, replaceChildren } from "./dom";
import type { Handlers, Screen } from "./screen";

export class StartScreen implements Screen {
  readonly element: HTMLElement;
  private readonly button: HTMLButtonElement;
  private readonly select: HTMLSelectElement;
  private readonly preview: HTMLDetailsElement;
  private readonly previewList: HTMLUListElement;

  constructor(state: State, handlers: Handlers) {
    this.button = h(
      "button",
      { type: "button", class: "primary big", id: "start" },
      "Check my connection",
    );
    this.button.addEventListener("click", () => {
      handlers.start();
    });

    this.select = h("select", { id: "error-code", "aria-describedby": "error-code-hint" });
    for (const o of ERROR_CODE_OPTIONS) {
      const option = h("option", { value: o.value ?? "" }, o.label);
      option.selected = o.value === state.errorCode;
      this.select.appendChild(option);
    }
    this.select.addEventListener("change", () => {
      handlers.chooseCode(this.select.value === "" ? null : this.select.value);
    });

    this.previewList = h("ul", { class: "preview-list" });
    this.preview = h(
      "details",
      { class: "preview", hidden: true },
      h("summary", {}, "What does it check?"),
      this.previewList,
    );

    this.element = h(
      "div",
      { class: "screen start" },
      h("h1", { tabindex: "-1" }, "Meeting Doctor"),
      h(
        "p",
        { class: "lead" },
        "Find out why Zoom can't connect. It takes a few seconds and changes nothing on this computer.",
      ),
      h("div", { class: "actions" }, this.button),
      h(
        "div",
        { class: "field" },
        h("label", { for: "error-code" }, "Which error do you see? (optional)"),
        this.select,
        h(
          "p",
          { class: "hint", id: "error-code-hint" },
          "Zoom shows it in its message, for example “Error code 104103”.",
        ),
      ),
      this.preview,
    );
    this.update(state);
  }

  update(state: State): void {
    const plan = state.overview?.checks ?? [];
    this.preview.hidden = plan.length === 0;
    const groups = groupRows(
      plan.map((c) => ({ ...c, status: "pending" as const, finding: null })),
    );
    replaceChildren(
      this.previewList,
      ...groups.map((g) =>
        h("li", {}, `${GROUP_LABEL[g.group]}: ${g.rows.map((r) => r.title).join(", ")}`),
      ),
    );
  }

  focusTarget(): HTMLElement {
    return this.button;
  }
}
