// The error screen: a plain sentence first, what to do, the exact message in
// monospace for the technician, and one button to try again.

import type { IpcError } from "../bindings";
import type { ErrorSource, State } from "../model";
import { h, replaceChildren } from "./dom";
import type { Handlers, Screen } from "./screen";

interface ErrorWords {
  headline: string;
  next: string;
}

export function errorWords(error: IpcError, source: ErrorSource | null): ErrorWords {
  switch (error.kind) {
    case "profile":
      return {
        headline: "Meeting Doctor can't use the settings file it was started with.",
        next: "Whoever started it with this file, for example your help desk, needs to correct the file or start Meeting Doctor without it. The problem in the file is:",
      };
    case "busy":
      return {
        headline: "A check is already running.",
        next: "Wait a few seconds for it to finish, then try again. The message was:",
      };
    case "save":
      return {
        headline: "The report couldn't be saved.",
        next: "Check that the folder named below exists and has room, then try again. The message was:",
      };
    case "fix":
      return {
        headline: "The change couldn't be made.",
        next: "Nothing else was changed. If it happens again, send this message to your help desk:",
      };
    case "internal":
      return {
        headline:
          source === "overview"
            ? "Meeting Doctor couldn't get ready."
            : source === "compare"
              ? "The two networks couldn't be compared."
              : "The check couldn't be finished.",
        next: "Try again. If it happens again, send this message to your help desk:",
      };
  }
}

export class ErrorScreen implements Screen {
  readonly element: HTMLElement;
  private readonly button: HTMLButtonElement;
  private readonly body: HTMLDivElement = h("div", { class: "error-body" });

  constructor(state: State, handlers: Handlers) {
    this.button = h("button", { type: "button", class: "primary", id: "retry" }, "Try again");
    this.button.addEventListener("click", () => {
      handlers.retry();
    });
    this.element = h(
      "div",
      { class: "screen error" },
      this.body,
      h("div", { class: "actions" }, this.button),
    );
    this.update(state);
  }

  update(state: State): void {
    if (!state.error) return;
    const words = errorWords(state.error, state.errorSource);
    replaceChildren(
      this.body,
      h(
        "div",
        { class: "outcome tone-problem", role: "alert" },
        h("h1", { tabindex: "-1" }, words.headline),
      ),
      h("p", {}, words.next),
      h("pre", { class: "message" }, state.error.message),
    );
  }

  focusTarget(): HTMLElement {
    return this.button;
  }
}
