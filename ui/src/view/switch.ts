// "Test on another network": the first network's results are kept while the
// person joins another network (a phone hotspot will do), then checks it.

import type { State } from "../model";
import { h, replaceChildren } from "./dom";
import type { Handlers, Screen } from "./screen";

export class SwitchScreen implements Screen {
  readonly element: HTMLElement;
  private readonly check: HTMLButtonElement;
  private readonly note: HTMLParagraphElement = h("p", { class: "switch-note", id: "switch-note" });

  constructor(state: State, handlers: Handlers) {
    this.check = h(
      "button",
      {
        type: "button",
        class: "primary big",
        id: "check-other",
        "aria-describedby": "switch-how switch-note",
      },
      "Check this network",
    );
    this.check.addEventListener("click", () => {
      handlers.start();
    });
    const cancel = h(
      "button",
      { type: "button", class: "secondary", id: "cancel-other" },
      "Cancel",
    );
    cancel.addEventListener("click", () => {
      handlers.keepFirstNetwork();
    });
    this.element = h(
      "div",
      { class: "screen switch" },
      h("h1", { tabindex: "-1" }, "Test on another network"),
      h(
        "p",
        { class: "lead", id: "switch-how" },
        "Connect to another network — your phone's hotspot works — then press Check this network.",
      ),
      h(
        "p",
        {},
        "The results from the first network are kept, so the two can be compared. Nothing is changed on this computer.",
      ),
      this.note,
      h("div", { class: "actions" }, this.check, cancel),
      h("p", { class: "hint" }, "Cancel goes back to the first network's results."),
    );
    this.update(state);
  }

  update(state: State): void {
    this.note.hidden = !state.secondStopped;
    replaceChildren(
      this.note,
      state.secondStopped
        ? "The check on this network was stopped before it finished. Press Check this network when you're connected."
        : "",
    );
  }

  focusTarget(): HTMLElement {
    return this.check;
  }
}
