// The fix dialog: asks before anything changes (what it does, what changes,
// side effects, administrator password, restart, how to undo it, how we'll
// check), then shows each step as it runs — saying plainly when the system
// waits for an administrator password — and ends with the result, before →
// after, and Undo. Modal: focus stays inside, Esc cancels (never while the
// computer is being changed), focus returns to the button that opened it.

import type {
  CheckChange,
  FixEvent,
  FixResult,
  HistoryEntry,
  Preview,
  Status,
  StepResult,
  Suggestion,
} from "../bindings";
import { toIpcError } from "../backend";
import {
  confirmText,
  resultText,
  splitChanges,
  stepStates,
  STEP_STATE_WORD,
  waitText,
  type ResultTone,
  type StepState,
} from "../fixes";
import { STATUS_WORD, type RowStatus } from "../labels";
import type { FixAction } from "../model";
import { h, replaceChildren, srOnly, type Child } from "./dom";
import { chevron, shield, statusIcon } from "./icons";

export interface FixDialogActions {
  preview(id: string): Promise<Preview>;
  /** `confirmed` is the id of the fix whose button the person pressed. */
  /** `digest` is the shown plan's: the backend runs the fix only if the plan is still that one. */
  apply(
    id: string,
    confirmed: string,
    digest: string,
    onEvent: (e: FixEvent) => void,
  ): Promise<FixResult>;
  undo(entry: string, onEvent: (e: FixEvent) => void): Promise<FixResult>;
  /** Stop waiting for the administrator password. */
  cancel(): void;
  script(id: string): Promise<string>;
  copy(text: string): Promise<boolean>;
  /** This run's checks: id → title. */
  checkTitles(): ReadonlyMap<string, string>;
  /** A change in the history, if known. */
  entry(id: string): HistoryEntry | undefined;
  /** A fix or an undo ended; the dialog still shows its result. */
  finished(result: FixResult, action: FixAction): void;
  /** Where focus goes on close when the control that opened the dialog is gone. */
  fallbackFocus(fixId: string | null): HTMLElement | null;
}

type Phase = "loading" | "confirm" | "running" | "approving" | "verifying" | "result";

const STEP_ICON: Record<StepState, RowStatus> = {
  waiting: "skipped",
  running: "pending",
  done: "pass",
  failed: "fail",
  not_run: "skipped",
};
const TONE_ICON: Record<ResultTone, RowStatus> = {
  ok: "pass",
  problem: "fail",
  unknown: "unknown",
  neutral: "skipped",
};

const FOCUSABLE =
  'button, [href], input, select, textarea, summary, [tabindex]:not([tabindex="-1"])';

function focusable(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => {
    if (el.closest("[hidden]") || el.getAttribute("aria-hidden") === "true") return false;
    const closed = el.closest("details:not([open])");
    return !closed || (el.tagName === "SUMMARY" && el.parentElement === closed);
  });
}

function statusWord(s: Status): HTMLSpanElement {
  return h(
    "span",
    { class: "change-status", "data-status": s },
    statusIcon(s),
    h("span", {}, STATUS_WORD[s]),
  );
}

/** "Zoom audio and video (port 3478): ✗ Problem → ✓ OK", in words for a screen reader too. */
function changeItem(c: CheckChange): HTMLLIElement {
  return h(
    "li",
    { class: "fix-change", "data-id": c.id },
    h("span", { class: "change-title" }, `${c.title}: `),
    c.before ? statusWord(c.before) : h("span", { class: "change-status" }, "not checked before"),
    h("span", { class: "arrow", "aria-hidden": "true" }, " → "),
    srOnly(" now "),
    statusWord(c.after),
    h("span", { class: "change-summary" }, c.summary),
  );
}

interface Progress {
  titles: string[];
  results: StepResult[];
  list: HTMLOListElement;
  status: HTMLParagraphElement;
  approval: HTMLDivElement;
  limit: HTMLParagraphElement;
  stop: HTMLButtonElement;
}

export class FixDialog {
  private overlay: HTMLDivElement | null = null;
  private title: HTMLHeadingElement = h("h2", { id: "fix-dialog-title", tabindex: "-1" });
  private body: HTMLDivElement = h("div", { class: "dialog-body" });
  /** Says what matters (waiting, checking, the result), politely, inside the dialog. */
  private live: HTMLParagraphElement = h("p", {
    class: "visually-hidden",
    role: "status",
    id: "fix-dialog-live",
  });
  private opener: HTMLElement | null = null;
  private fixId: string | null = null;
  private phase: Phase | null = null;
  /** Increases on close, so late answers for a closed dialog are ignored. */
  private session = 0;
  private progress: Progress | null = null;
  private script: { id: string; text: Promise<string>; ready: string | null } | null = null;

  constructor(
    private readonly host: HTMLElement,
    private readonly background: () => HTMLElement[],
    private readonly actions: FixDialogActions,
  ) {}

  get isOpen(): boolean {
    return this.overlay !== null;
  }

  /** Asks before making fix `s`: what it does, then the person's yes or no. */
  openFix(s: Suggestion, opener: HTMLElement): void {
    const fix = s.preview.fix;
    this.mount(fix.title, opener, fix.id);
    this.phase = "loading";
    replaceChildren(
      this.body,
      h("p", { class: "fix-why", id: "fix-dialog-why" }, fix.why),
      h("p", { class: "fixes-note" }, "Getting the details…"),
      this.buttons(this.cancelButton()),
    );
    const session = this.session;
    this.actions.preview(fix.id).then(
      (p) => {
        if (session === this.session) this.showConfirm(p);
      },
      (e: unknown) => {
        if (session === this.session) this.showError(e);
      },
    );
  }

  /** Undoes a change from the history: the Undo button named it, so it starts at once. */
  openUndo(entry: HistoryEntry, opener: HTMLElement): void {
    this.mount(`Undo: ${entry.title}`, opener, entry.fix);
    this.startUndo(entry.id, entry.undo);
  }

  /** Closes the dialog unless the computer is being changed; while waiting for the password, stops waiting. */
  requestClose(): void {
    switch (this.phase) {
      case "running":
      case "verifying":
        return;
      case "approving":
        this.stopWaiting();
        return;
      default:
        this.close();
    }
  }

  private mount(heading: string, opener: HTMLElement, fixId: string): void {
    if (this.overlay) this.close();
    this.opener = opener;
    this.fixId = fixId;
    this.title.textContent = heading;
    this.live.textContent = "";
    const dialog = h(
      "div",
      {
        class: "dialog",
        id: "fix-dialog",
        role: "dialog",
        "aria-modal": "true",
        "aria-labelledby": "fix-dialog-title",
        "aria-describedby": "fix-dialog-why",
      },
      this.title,
      this.body,
      this.live,
    );
    const overlay = h("div", { class: "dialog-backdrop" }, dialog);
    overlay.addEventListener("keydown", (e) => {
      this.onKey(e, dialog);
    });
    for (const el of this.background()) el.setAttribute("inert", "");
    this.host.append(overlay);
    this.overlay = overlay;
    this.title.focus();
  }

  private close(): void {
    if (!this.overlay) return;
    this.overlay.remove();
    this.overlay = null;
    this.session += 1;
    this.phase = null;
    this.progress = null;
    this.script = null;
    for (const el of this.background()) el.removeAttribute("inert");
    const back = this.opener?.isConnected ? this.opener : this.actions.fallbackFocus(this.fixId);
    back?.focus();
    this.opener = null;
  }

  private onKey(e: KeyboardEvent, dialog: HTMLElement): void {
    if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      this.requestClose();
      return;
    }
    if (e.key !== "Tab") return;
    const items = focusable(dialog);
    if (items.length === 0) {
      e.preventDefault();
      this.title.focus();
      return;
    }
    const first = items[0];
    const last = items[items.length - 1];
    const active = document.activeElement;
    if (e.shiftKey && (active === first || active === this.title || !dialog.contains(active))) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (active === last || !dialog.contains(active))) {
      e.preventDefault();
      first.focus();
    }
  }

  private announce(text: string): void {
    this.live.textContent = "";
    window.setTimeout(() => {
      this.live.textContent = text;
    }, 50);
  }

  private buttons(...children: Child[]): HTMLDivElement {
    return h("div", { class: "actions dialog-actions" }, ...children);
  }

  private cancelButton(): HTMLButtonElement {
    const b = h("button", { type: "button", class: "secondary", id: "fix-cancel" }, "Cancel");
    b.addEventListener("click", () => {
      this.close();
    });
    return b;
  }

  private closeButton(): HTMLButtonElement {
    const b = h("button", { type: "button", class: "primary", id: "fix-close" }, "Close");
    b.addEventListener("click", () => {
      this.close();
    });
    return b;
  }

  /** Fetches the script ahead, so "Copy as script" writes it within the click. */
  private prefetchScript(id: string): void {
    if (this.script?.id === id) return;
    const entry: { id: string; text: Promise<string>; ready: string | null } = {
      id,
      text: this.actions.script(id),
      ready: null,
    };
    entry.text.then(
      (t) => {
        entry.ready = t;
      },
      () => undefined,
    );
    this.script = entry;
  }

  /** "Copy as script", its result line and a text box to copy by hand when the clipboard refuses. */
  private scriptControls(id: string): HTMLElement[] {
    this.prefetchScript(id);
    const result = h("p", { class: "copy-result", role: "status", id: "script-result" });
    const manual = h("textarea", {
      class: "manual-copy",
      readonly: true,
      rows: "8",
      "aria-label": "The fix as a script",
      hidden: true,
    });
    const button = h(
      "button",
      { type: "button", class: "secondary", id: "copy-script" },
      "Copy as script",
    );
    button.addEventListener("click", () => {
      const script = this.script;
      if (!script) return;
      const text = script.ready !== null ? Promise.resolve(script.ready) : script.text;
      text
        .then(async (t) => {
          const ok = await this.actions.copy(t);
          result.textContent = ok
            ? "Copied. Paste it into an administrator shell (PowerShell “Run as administrator” on Windows, a terminal with sudo on a Mac or Linux)."
            : "Couldn't copy by itself. Select the script below and copy it.";
          manual.hidden = ok;
          if (!ok) {
            manual.value = t;
            manual.select();
          }
        })
        .catch((e: unknown) => {
          result.textContent = `The script couldn't be made: ${toIpcError(e).message}`;
        });
    });
    return [button, result, manual];
  }

  private showConfirm(p: Preview): void {
    if (!p.applicable) {
      this.phase = "result";
      replaceChildren(
        this.body,
        h(
          "p",
          { class: "fix-why", id: "fix-dialog-why" },
          "This fix can't be made on this computer.",
        ),
        h("p", {}, p.reason ?? ""),
        this.buttons(this.closeButton()),
      );
      return;
    }
    this.phase = "confirm";
    const t = confirmText(p, this.actions.checkTitles());
    const confirm = h(
      "button",
      {
        type: "button",
        class: "primary",
        id: "fix-confirm",
        "aria-describedby": t.admin ? "fix-admin-note" : null,
      },
      t.admin && shield(),
      h("span", {}, t.heading),
    );
    confirm.addEventListener("click", () => {
      this.startApply(p);
    });
    const sideEffects = [...(t.caution ? [t.caution] : []), ...t.sideEffects];
    replaceChildren(
      this.body,
      h("p", { class: "fix-why", id: "fix-dialog-why" }, t.why),
      h("h3", {}, "What will happen"),
      h("ol", { class: "fix-steps" }, ...t.steps.map((s) => h("li", {}, s))),
      t.admin &&
        h("p", { class: "fix-admin", id: "fix-admin-note" }, shield(), h("span", {}, t.admin)),
      t.restart && h("p", { class: "fix-restart" }, t.restart),
      sideEffects.length > 0 && h("h3", {}, "Good to know"),
      sideEffects.length > 0 &&
        h("ul", { class: "fix-effects" }, ...sideEffects.map((s) => h("li", {}, s))),
      h("h3", {}, "How to undo it"),
      h("p", { class: "fix-undo" }, t.undo),
      h("p", { class: "fix-recheck" }, t.recheck),
      h(
        "details",
        { class: "fold fix-details" },
        h("summary", {}, chevron(), h("span", {}, "Show details")),
        h("p", { class: "hint" }, "For a technician: exactly what runs, in order."),
        h(
          "ol",
          { class: "fix-commands" },
          ...t.details.map((s) =>
            h(
              "li",
              {},
              h("span", { class: "command-title" }, s.title),
              h("code", { class: "command" }, s.detail),
            ),
          ),
        ),
        ...this.scriptControls(p.fix.id),
      ),
      this.buttons(this.cancelButton(), confirm),
    );
  }

  private progressView(titles: string[]): Progress {
    const status = h("p", { class: "fix-status" }, "Working on it…");
    const stop = h(
      "button",
      { type: "button", class: "secondary", id: "fix-stop", hidden: true },
      "Cancel",
    );
    stop.addEventListener("click", () => {
      this.stopWaiting();
    });
    const limit = h("p", { class: "approval-limit" });
    const approval = h(
      "div",
      { class: "fix-approval", hidden: true },
      shield(),
      h(
        "div",
        {},
        h("p", { class: "approval-title" }, "Waiting for administrator approval"),
        h(
          "p",
          {},
          "Your computer is asking for an administrator password, maybe in a window behind this one. Nothing changes until it's typed.",
        ),
        limit,
        this.buttons(stop),
      ),
    );
    const list = h("ol", { class: "fix-progress", "aria-label": "Steps" });
    const p: Progress = { titles, results: [], list, status, approval, limit, stop };
    replaceChildren(this.body, status, approval, list);
    this.renderSteps(p, null);
    return p;
  }

  private renderSteps(p: Progress, end: FixResult["outcome"]["status"] | null): void {
    const states = stepStates(p.titles.length, p.results, end, this.phase === "approving");
    replaceChildren(
      p.list,
      ...p.titles.map((title, i) => {
        const s = states[i];
        return h(
          "li",
          { class: "fix-step", "data-state": s },
          statusIcon(STEP_ICON[s]),
          h("span", { class: "step-text" }, title),
          h("span", { class: "step-state" }, STEP_STATE_WORD[s]),
        );
      }),
    );
  }

  private onEvent(p: Progress, e: FixEvent): void {
    if (this.progress !== p) return;
    switch (e.event) {
      case "waiting_for_approval":
        this.phase = "approving";
        // The box says it; the line above it would only repeat it.
        p.status.textContent = "Waiting for administrator approval…";
        p.status.hidden = true;
        p.approval.hidden = false;
        p.limit.textContent = waitText(e.timeout_s);
        p.stop.hidden = false;
        p.stop.removeAttribute("aria-disabled");
        p.stop.textContent = "Cancel";
        this.announce(
          "Waiting for administrator approval. Your computer is asking for an administrator password.",
        );
        break;
      case "step":
        if (this.phase === "approving") this.hideApproval(p);
        this.phase = "running";
        p.results.push(e.step);
        break;
      case "verifying":
        this.hideApproval(p);
        this.phase = "verifying";
        p.status.textContent = "Done. Checking whether it helped…";
        this.announce("Done. Checking whether it helped.");
        break;
    }
    this.renderSteps(p, null);
  }

  private hideApproval(p: Progress): void {
    const had = p.approval.contains(document.activeElement);
    p.approval.hidden = true;
    p.stop.hidden = true;
    p.status.hidden = false;
    p.status.textContent = "Working on it…";
    if (had) this.title.focus();
  }

  private stopWaiting(): void {
    const p = this.progress;
    if (!p || this.phase !== "approving" || p.stop.getAttribute("aria-disabled") === "true") return;
    p.stop.setAttribute("aria-disabled", "true");
    p.stop.textContent = "Stopping…";
    this.actions.cancel();
  }

  private startApply(p: Preview): void {
    const id = p.fix.id;
    this.phase = "running";
    const progress = this.progressView(p.steps.map((s) => s.title));
    this.progress = progress;
    this.title.focus();
    this.announce("Working on it.");
    const session = this.session;
    this.actions
      .apply(id, id, p.digest, (e) => {
        if (session === this.session) this.onEvent(progress, e);
      })
      .then(
        (result) => {
          this.actions.finished(result, "apply");
          if (session === this.session) this.showResult(result, "apply", progress, p.needs_restart);
        },
        (e: unknown) => {
          if (session === this.session) this.showError(e);
        },
      );
  }

  private startUndo(entryId: string, steps: readonly string[]): void {
    this.phase = "running";
    const progress = this.progressView(
      steps.length > 0 ? [...steps] : ["Put back what this fix changed"],
    );
    this.progress = progress;
    progress.status.textContent = "Undoing…";
    this.title.focus();
    this.announce("Undoing.");
    const session = this.session;
    this.actions
      .undo(entryId, (e) => {
        if (session === this.session) this.onEvent(progress, e);
      })
      .then(
        (result) => {
          this.actions.finished(result, "undo");
          if (session === this.session) this.showResult(result, "undo", progress, false);
        },
        (e: unknown) => {
          if (session === this.session) this.showError(e);
        },
      );
  }

  private showResult(
    result: FixResult,
    action: FixAction,
    p: Progress,
    needsRestart: boolean,
  ): void {
    const o = result.outcome;
    this.phase = "result";
    this.progress = null;
    // A change made with administrator rights reports its steps at the end.
    const reported = new Set(p.results.map((r) => r.index));
    for (const s of o.steps) if (!reported.has(s.index)) p.results.push(s);
    this.renderSteps(p, o.status);
    const t = resultText(o, action, { needsRestart, canUndo: result.can_undo });
    const { shown, unchanged } = splitChanges(o.verification?.checks ?? []);
    const close = this.closeButton();
    const undo =
      action === "apply" && result.can_undo && o.entry
        ? h(
            "button",
            { type: "button", class: "secondary", id: "fix-undo" },
            this.actions.entry(o.entry)?.admin && shield(),
            h("span", {}, "Undo"),
          )
        : null;
    undo?.addEventListener("click", () => {
      const entry = o.entry;
      if (!entry) return;
      this.title.textContent = `Undo: ${o.title}`;
      this.startUndo(entry, this.actions.entry(entry)?.undo ?? []);
    });
    const ranSteps = o.status === "applied" || o.status === "failed";
    const stepsDone = ranSteps
      ? h(
          "details",
          { class: "fold fix-done-steps" },
          h(
            "summary",
            {},
            chevron(),
            h("span", {}, action === "undo" ? "What was put back" : "What was done"),
          ),
          p.list,
        )
      : null;
    replaceChildren(
      this.body,
      h(
        "div",
        { class: `fix-result tone-${t.tone}`, role: t.tone === "problem" ? "alert" : null },
        statusIcon(TONE_ICON[t.tone], "result-icon"),
        h("p", { class: "fix-result-headline", id: "fix-dialog-why" }, t.headline),
      ),
      t.detail && h("p", { class: "fix-result-detail" }, t.detail),
      shown.length + unchanged.length > 0 && h("h3", {}, "Checked again"),
      shown.length > 0 && h("ul", { class: "fix-changes", role: "list" }, ...shown.map(changeItem)),
      unchanged.length > 0 &&
        h(
          "details",
          { class: "fold fix-unchanged" },
          h(
            "summary",
            {},
            chevron(),
            h(
              "span",
              {},
              unchanged.length === 1
                ? "1 other check stayed the same"
                : `${String(unchanged.length)} other checks stayed the same`,
            ),
          ),
          h("ul", { class: "fix-changes", role: "list" }, ...unchanged.map(changeItem)),
        ),
      t.next && h("p", { class: "fix-next" }, t.next),
      stepsDone,
      t.offerScript && h("div", { class: "script-block" }, ...this.scriptControls(o.fix)),
      this.buttons(undo, close),
    );
    // The close button leads; the live region (or the alert) says the result.
    if (t.tone !== "problem") this.announce(t.headline);
    close.focus();
  }

  private showError(e: unknown): void {
    const err = toIpcError(e);
    this.phase = "result";
    this.progress = null;
    const close = this.closeButton();
    replaceChildren(
      this.body,
      h(
        "div",
        { class: "fix-result tone-problem", role: "alert" },
        statusIcon("fail", "result-icon"),
        h(
          "p",
          { class: "fix-result-headline", id: "fix-dialog-why" },
          err.kind === "busy"
            ? "Meeting Doctor is busy right now."
            : "The change couldn't be made.",
        ),
      ),
      h(
        "p",
        {},
        err.kind === "busy"
          ? "Wait a few seconds, then try again. The message was:"
          : "Nothing else was changed. If it happens again, send this message to your help desk:",
      ),
      h("pre", { class: "message" }, err.message),
      this.buttons(close),
    );
    close.focus();
  }
}
