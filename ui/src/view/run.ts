// The run screen, while checking and when done. The checklist below stays the
// same element from the first event to the result, so focus and expanded rows
// survive; only the part above it changes when the run ends.

import type { Cause } from "../bindings";
import type { RowStatus } from "../labels";
import { countRows, doneCount, groupRows, stageText, stepText, type State } from "../model";
import { outcome, type Outcome, type Tone } from "../outcome";
import { Checklist } from "./checklist";
import { diagnosisParts } from "./diagnosis";
import { h, replaceChildren } from "./dom";
import { CauseFixesView, HistoryView } from "./fixes";
import { statusIcon } from "./icons";
import type { Handlers, Screen, Timing } from "./screen";

const TONE_ICON: Record<Tone, RowStatus> = {
  problem: "fail",
  warning: "warn",
  ok: "pass",
  unknown: "unknown",
  stopped: "stopped",
};

interface RunningParts {
  stage: HTMLParagraphElement;
  progress: HTMLDivElement;
  step: HTMLParagraphElement;
  bar: HTMLProgressElement;
  cancel: HTMLButtonElement;
}

export class RunScreen implements Screen {
  readonly element: HTMLElement;
  private readonly top: HTMLDivElement = h("div", { class: "run-top" });
  private readonly checklist = new Checklist();
  private mode: "running" | "done" | null = null;
  private runId = -1;
  private running: RunningParts | null = null;
  private again: HTMLButtonElement | null = null;
  private causeFixes: CauseFixesView[] = [];
  private history: HistoryView | null = null;

  constructor(
    state: State,
    timing: Timing,
    private readonly handlers: Handlers,
  ) {
    this.element = h("div", { class: "screen run" }, this.top, this.checklist.element);
    this.update(state, timing);
  }

  update(state: State, timing: Timing): void {
    if (state.runId !== this.runId) {
      this.runId = state.runId;
      this.checklist.reset();
      this.mode = null;
    }
    const mode = state.phase === "done" ? "done" : "running";
    if (mode !== this.mode) {
      this.mode = mode;
      if (mode === "running") this.renderRunning(state);
      else this.renderDone(state);
    }
    if (this.running && mode === "running") this.updateRunning(this.running, state, timing);
    if (mode === "done") {
      for (const v of this.causeFixes) v.update(state.fixes);
      this.history?.update(state.fixes.history);
    }
    this.checklist.update(groupRows(state.rows));
  }

  focusTarget(): HTMLElement | null {
    return this.mode === "running" ? (this.running?.cancel ?? null) : this.again;
  }

  /** True when focus is on a row of the checklist (then a finished run leaves it there). */
  hasFocusInList(): boolean {
    return this.checklist.element.contains(document.activeElement);
  }

  private renderRunning(state: State): void {
    const cancel = h("button", { type: "button", class: "secondary", id: "cancel" }, "Cancel");
    cancel.addEventListener("click", () => {
      if (cancel.getAttribute("aria-disabled") !== "true") this.handlers.cancel();
    });
    const step = h("p", { class: "step" });
    const bar = h("progress", { "aria-label": "Checks done" });
    const progress = h("div", { class: "progress", hidden: true }, step, bar);
    const stage = h("p", { class: "stage" });
    this.running = { stage, progress, step, bar, cancel };
    this.again = null;
    this.causeFixes = [];
    this.history = null;
    const title = state.baseline ? "Checking this network" : "Checking your connection";
    replaceChildren(
      this.top,
      h("h1", { tabindex: "-1" }, title),
      stage,
      progress,
      h("div", { class: "actions" }, cancel),
    );
  }

  private updateRunning(p: RunningParts, state: State, timing: Timing): void {
    p.stage.textContent = state.cancelling ? "Stopping the checks…" : stageText(state.rows);
    p.progress.hidden = !timing.slow || state.rows.length === 0;
    p.step.textContent = stepText(state.rows);
    p.bar.max = Math.max(state.rows.length, 1);
    p.bar.value = doneCount(state.rows);
    if (state.cancelling) {
      p.cancel.setAttribute("aria-disabled", "true");
      p.cancel.textContent = "Stopping…";
    }
  }

  private renderDone(state: State): void {
    this.running = null;
    const o = outcome(state.rows, state.report, state.errorCode);
    const again = h("button", { type: "button", class: "primary", id: "again" }, "Check again");
    again.addEventListener("click", () => {
      this.handlers.start();
    });
    this.again = again;

    // Comparing needs a full run to compare with.
    const canCompare = state.report !== null && !state.report.run.cancelled;
    const other = canCompare
      ? h(
          "button",
          { type: "button", class: "secondary", id: "other-network" },
          "Test on another network",
        )
      : null;
    other?.addEventListener("click", () => {
      this.handlers.testOtherNetwork();
    });

    const rowIds = new Set(state.rows.filter((r) => r.finding !== null).map((r) => r.id));
    const showChecks = (ids: readonly string[]) => {
      this.checklist.highlight(ids)?.focus();
    };
    this.causeFixes = [];
    const fixSlot = (cause: Cause) => {
      if (cause.fixes.length === 0) return null;
      const v = new CauseFixesView(cause, this.handlers);
      this.causeFixes.push(v);
      return v.element;
    };
    this.history = new HistoryView(this.handlers);

    replaceChildren(
      this.top,
      outcomeBlock(o),
      o.lead && h("p", { class: "lead" }, o.lead),
      o.codeLine && h("p", { class: "code-line" }, o.codeLine),
      ...diagnosisParts(o, state.report?.diagnosis.error_code ?? null, {
        rowIds,
        showChecks,
        fixSlot,
      }),
      o.next.length > 0 && h("h2", { class: "next-heading" }, "What to do next"),
      o.next.length > 0 && h("ol", { class: "next" }, ...o.next.map((s) => h("li", {}, s))),
      o.unknownNote && h("p", { class: "unknown-note" }, o.unknownNote),
      h("div", { class: "actions" }, again, other),
      this.history.element,
      this.shareSection(),
      h("p", { class: "tally" }, tally(state)),
    );
  }

  /** Save report… and Copy for a technician, with what they contain said up front. */
  private shareSection(): HTMLElement {
    const include = h("input", {
      type: "checkbox",
      id: "include-names",
      "aria-describedby": "share-hint",
    });
    const saved = h("p", { class: "save-result", role: "status", id: "save-result" });
    const save = h("button", { type: "button", class: "secondary", id: "save" }, "Save report…");
    save.addEventListener("click", () => {
      if (save.getAttribute("aria-disabled") === "true") return;
      save.setAttribute("aria-disabled", "true");
      void this.handlers.save(!include.checked).then(({ ok, message }) => {
        save.removeAttribute("aria-disabled");
        saved.dataset.ok = String(ok);
        replaceChildren(saved, ok ? null : statusIcon("fail"), h("span", {}, message));
      });
    });

    const copied = h("p", { class: "copy-result", hidden: true });
    const manual = h("textarea", {
      class: "manual-copy",
      readonly: true,
      rows: "8",
      "aria-label": "Report for a technician",
      hidden: true,
    });
    const copy = h(
      "button",
      { type: "button", class: "secondary", id: "copy" },
      "Copy for a technician",
    );
    copy.addEventListener("click", () => {
      void this.handlers.copy().then(({ ok, text }) => {
        copied.hidden = false;
        if (text === null) {
          // Only the engine takes names, addresses and passwords out: without it there is nothing safe to copy.
          copied.textContent = "Couldn't prepare the details for a technician. Please try again.";
          manual.hidden = true;
          manual.value = "";
          return;
        }
        copied.textContent = ok
          ? "Copied. Paste it into an email or chat to your help desk."
          : "Couldn't copy by itself. Select the text below and copy it.";
        manual.hidden = ok;
        if (!ok) {
          manual.value = text;
          manual.select();
        }
      });
    });

    return h(
      "section",
      { class: "share", "aria-labelledby": "share-heading" },
      h("h2", { id: "share-heading" }, "Share the results"),
      h("div", { id: "report-actions", class: "actions" }, save, copy),
      h(
        "div",
        { class: "check-field" },
        include,
        h("label", { for: "include-names" }, "Include names and addresses"),
      ),
      h(
        "p",
        { class: "hint", id: "share-hint" },
        "Save report… puts a web page in your Downloads folder. Both leave out this computer's name, your user name and network addresses, and never contain passwords; tick the box to keep names and addresses in the saved report.",
      ),
      saved,
      copied,
      manual,
    );
  }
}

function outcomeBlock(o: Outcome): HTMLElement {
  return h(
    "div",
    { class: `outcome tone-${o.tone}`, role: o.tone === "problem" ? "alert" : "status" },
    statusIcon(TONE_ICON[o.tone], "outcome-icon"),
    h("h1", { tabindex: "-1" }, o.headline),
  );
}

function tally(state: State): string {
  const c = countRows(state.rows);
  const parts = [
    c.fail && `${String(c.fail)} problem${c.fail === 1 ? "" : "s"}`,
    c.warn && `${String(c.warn)} warning${c.warn === 1 ? "" : "s"}`,
    c.pass && `${String(c.pass)} OK`,
    c.unknown && `${String(c.unknown)} couldn't check`,
    c.skipped && `${String(c.skipped)} skipped`,
    c.stopped && `${String(c.stopped)} not finished`,
  ].filter((p): p is string => typeof p === "string");
  return parts.length > 0 ? `All results: ${parts.join(" · ")}` : "No checks ran.";
}
