// The controller: holds the state, talks to the Backend, picks the screen,
// moves focus only when the focused control goes away, and says what matters
// in one polite live region. Nothing is written to disk except a report the
// person asks to save.

import type { Backend } from "./backend";
import { toIpcError } from "./backend";
import type { Report } from "./bindings";
import { copyText } from "./clipboard";
import { OTHER_CODE } from "./labels";
import { initialState, reduce, stageText, stepText, type Action, type State } from "./model";
import { outcome } from "./outcome";
import { h } from "./view/dom";
import { CompareScreen } from "./view/compare";
import { ErrorScreen } from "./view/error";
import { FixDialog } from "./view/fixdialog";
import { RunScreen } from "./view/run";
import type { Handlers, Screen, Timing } from "./view/screen";
import { StartScreen } from "./view/start";
import { SwitchScreen } from "./view/switch";

/** After this long a stage is worth announcing. */
export const STAGE_AFTER_MS = 1000;
/** After this long the run shows "step n of m". */
export const STEP_AFTER_MS = 10_000;

export interface App {
  readonly state: State;
}

type ScreenKind = "start" | "run" | "switch" | "compare" | "error";

export function createApp(
  root: HTMLElement,
  backend: Backend,
  copy: (text: string) => Promise<boolean> = copyText,
): App {
  let state = initialState();
  const timing: Timing = { stageDue: false, slow: false };
  let timers: number[] = [];
  let lastStage = "";

  const screenHost = h("div", { class: "screen-host" });
  const announcer = h("div", { class: "visually-hidden", role: "status", id: "announcer" });
  const footer = h("footer", { class: "about" });
  const main = h("main", { class: "app" }, screenHost, announcer);
  root.replaceChildren(main, footer);

  // Fixes: asked for by catalog id only; the dialog shows what will run first.
  const dialog = new FixDialog(root, () => [main, footer], {
    preview: (id) => backend.previewFix(id),
    apply: (id, confirmed, digest, onEvent) => backend.applyFix(id, confirmed, digest, onEvent),
    undo: (entry, onEvent) => backend.undoFix(entry, onEvent),
    cancel: () => {
      backend.cancelFix().catch(() => undefined); // the wait ends by itself at its time limit
    },
    script: (id) => backend.fixScript(id),
    copy: (text) => copy(text),
    checkTitles: () => new Map(state.rows.map((r) => [r.id, r.title])),
    entry: (id) => state.fixes.history.find((e) => e.id === id),
    finished: (result, action) => {
      dispatch({ type: "fixFinished", result, action });
      if (state.report && state.phase === "done") prepareCopy(state.report);
      void loadHistory();
      // What can be fixed depends on what is set now.
      if (result.outcome.status === "applied" || result.outcome.status === "failed")
        void loadSuggestions(false);
    },
    fallbackFocus: (fixId) =>
      [...document.querySelectorAll<HTMLElement>(".fix-it")].find((b) => b.dataset.fix === fixId) ??
      document.getElementById("fixes")?.querySelector<HTMLElement>("button") ??
      document.getElementById("again"),
  });

  let screen: Screen | null = null;
  let screenKind: ScreenKind | null = null;
  /** The finished run's report for a technician, prepared ahead so Copy can write it at once. */
  let prepared: { report: Report; text: string | null } | null = null;

  function announce(text: string): void {
    // Clear first so the same words ("Copied") are read again.
    announcer.textContent = "";
    window.setTimeout(() => {
      announcer.textContent = text;
    }, 50);
  }

  function dispatch(action: Action): void {
    const before = state;
    state = reduce(state, action);
    if (state !== before) render(before);
  }

  const handlers: Handlers = {
    start: () => void startRun(),
    cancel: () => void cancelRun(),
    retry: () => {
      if (state.errorSource === "overview") void loadOverview();
      else if (state.errorSource === "compare") void compareRuns();
      else void startRun();
    },
    chooseCode: (code) => {
      dispatch({ type: "chooseCode", errorCode: code });
    },
    copy: async () => {
      // Written within the click when the text is ready: some webviews
      // only let a page write the clipboard while handling the person's click.
      const ready = prepared !== null && prepared.report === state.report ? prepared.text : null;
      const text = ready ?? (await technicianReport());
      if (text === null) {
        announce("Couldn't prepare the details for a technician.");
        return { ok: false, text: null };
      }
      const ok = await copy(text);
      announce(ok ? "Copied" : "Couldn't copy; the text is shown below to copy by hand.");
      return { ok, text };
    },
    save: async (redact) => {
      const report = state.report;
      if (!report) return { ok: false, message: "There is no report to save yet." };
      try {
        const path = await backend.saveReport(report, "html", redact);
        return { ok: true, message: `Saved to ${path}` };
      } catch (e) {
        const error = toIpcError(e);
        return {
          ok: false,
          message:
            error.kind === "save" ? error.message : `Couldn't save the report: ${error.message}`,
        };
      }
    },
    testOtherNetwork: () => {
      dispatch({ type: "testOtherNetwork" });
    },
    keepFirstNetwork: () => {
      dispatch({ type: "keepFirstNetwork" });
      // Back where the person left: on the button that led away.
      document.getElementById("other-network")?.focus();
    },
    startOver: () => {
      prepared = null;
      dispatch({ type: "backToStart" });
    },
    openFix: (id, opener) => {
      const s = state.fixes.suggestions?.find((x) => x.preview.fix.id === id);
      if (s?.preview.applicable) dialog.openFix(s, opener);
    },
    undoChange: (entry, opener) => {
      const e = state.fixes.history.find((x) => x.id === entry);
      if (e?.can_undo) dialog.openUndo(e, opener);
    },
  };

  function kindOf(s: State): ScreenKind {
    switch (s.phase) {
      case "running":
      case "done":
        return "run";
      default:
        return s.phase;
    }
  }

  function makeScreen(kind: ScreenKind): Screen {
    switch (kind) {
      case "start":
        return new StartScreen(state, handlers);
      case "run":
        return new RunScreen(state, timing, handlers);
      case "switch":
        return new SwitchScreen(state, handlers);
      case "compare":
        return new CompareScreen(state, handlers);
      case "error":
        return new ErrorScreen(state, handlers);
    }
  }

  function render(before: State): void {
    const kind = kindOf(state);
    if (kind !== screenKind || !screen) {
      screenKind = kind;
      screen = makeScreen(kind);
      const first = screenHost.childElementCount === 0;
      screenHost.replaceChildren(screen.element);
      // The first screen leaves focus where the system put it; a screen that
      // replaces another takes focus from the control that went away.
      if (!first) screen.focusTarget()?.focus();
    } else {
      const wasFocused = screen.focusTarget();
      const hadFocus = wasFocused !== null && wasFocused === document.activeElement;
      screen.update(state, timing);
      // The run screen swaps Cancel for "Check again" (and back): if focus was
      // on the button that went away, or nowhere, put it on the new one.
      if (before.phase !== state.phase || before.runId !== state.runId) {
        const lost =
          hadFocus || document.activeElement === document.body || document.activeElement === null;
        const inList = screen instanceof RunScreen && screen.hasFocusInList();
        if (lost && !inList) screen.focusTarget()?.focus();
      }
    }
    renderFooter();
    speak(before);
    if (state.phase === "done" && before.phase !== "done") {
      // After this render: what can be fixed here, and what was changed before.
      queueMicrotask(() => {
        void loadSuggestions(true);
        void loadHistory();
      });
    }
  }

  function renderFooter(): void {
    const o = state.overview;
    footer.hidden = !o;
    footer.textContent = o
      ? `${o.app.name} ${o.app.version} · checking for ${o.profile.name} (${o.profile.source === "built-in" ? "built-in settings" : o.profile.source})`
      : "";
  }

  /** Announce summaries, not ticks: the stage once it's due, step n of m once, the end. */
  function speak(before: State): void {
    if (state.phase === "running") {
      const stage = state.cancelling ? "Stopping the checks…" : stageText(state.rows);
      if ((timing.stageDue || state.cancelling) && stage !== lastStage) {
        lastStage = stage;
        announce(stage);
      }
    } else if (state.phase === "done" && before.phase !== "done") {
      const o = outcome(state.rows, state.report, state.errorCode);
      // A failure headline is an alert and speaks for itself.
      if (o.tone !== "problem") announce(`Check finished. ${o.headline}`);
      else announcer.textContent = "";
    } else if (state.phase === "compare" && state.comparison && !before.comparison) {
      announce(`Compared the two networks. ${state.comparison.meaning} ${state.comparison.advice}`);
    } else if (state.phase === "switch" && state.secondStopped && !before.secondStopped) {
      announce("The check on this network was stopped.");
    }
  }

  function clearTimers(): void {
    for (const t of timers) window.clearTimeout(t);
    timers = [];
  }

  function setTimers(runId: number): void {
    clearTimers();
    timing.stageDue = false;
    timing.slow = false;
    lastStage = "";
    timers.push(
      window.setTimeout(() => {
        if (state.runId !== runId || state.phase !== "running") return;
        timing.stageDue = true;
        speak(state);
      }, STAGE_AFTER_MS),
      window.setTimeout(() => {
        if (state.runId !== runId || state.phase !== "running") return;
        timing.slow = true;
        screen?.update(state, timing);
        announce(`Still checking: ${stepText(state.rows).toLowerCase()}.`);
      }, STEP_AFTER_MS),
    );
  }

  async function loadOverview(): Promise<void> {
    try {
      const overview = await backend.overview();
      dispatch({ type: "overviewLoaded", overview });
    } catch (e) {
      dispatch({ type: "failed", error: toIpcError(e), source: "overview" });
    }
  }

  async function startRun(): Promise<void> {
    if (state.phase === "running") return;
    const runId = state.runId + 1;
    setTimers(runId);
    dispatch({ type: "runStarted", runId });
    // "Another code" stays in the UI; only real codes cross to the backend.
    const code = state.errorCode === OTHER_CODE ? null : state.errorCode;
    try {
      const report = await backend.startCheck(code, (event) => {
        dispatch({ type: "event", runId, event });
      });
      dispatch({ type: "runFinished", runId, report });
      if (state.runId === runId && state.phase === "done") prepareCopy(report);
      if (state.runId === runId && state.phase === "compare") void compareRuns();
    } catch (e) {
      if (state.runId === runId) dispatch({ type: "failed", error: toIpcError(e), source: "run" });
    } finally {
      if (state.runId === runId) clearTimers();
    }
  }

  async function cancelRun(): Promise<void> {
    if (state.phase !== "running" || state.cancelling) return;
    const runId = state.runId;
    dispatch({ type: "cancelRequested", runId });
    try {
      await backend.cancelCheck();
    } catch {
      // The run ends by itself within its time limit; nothing else to do.
    }
  }

  /** Both runs compared by the backend; a failure can be retried from the error screen. */
  async function compareRuns(): Promise<void> {
    const first = state.baseline?.report;
    const second = state.report;
    if (!first || !second) return;
    dispatch({ type: "comparing" });
    try {
      const comparison = await backend.compareReports(first, second);
      if (state.report === second) dispatch({ type: "compared", comparison });
    } catch (e) {
      if (state.report === second && state.phase === "compare")
        dispatch({ type: "failed", error: toIpcError(e), source: "compare" });
    }
  }

  /** The fixes for the report on screen; `fresh` shows "Looking for fixes…" until they come. */
  async function loadSuggestions(fresh: boolean): Promise<void> {
    const report = state.report;
    if (
      !report ||
      report.run.cancelled ||
      report.diagnosis.causes.every((c) => c.fixes.length === 0)
    )
      return;
    const forReport = report.generated_at;
    if (fresh || state.fixes.forReport !== forReport) dispatch({ type: "fixesLoading", forReport });
    try {
      const suggestions = await backend.fixSuggestions();
      dispatch({ type: "fixesLoaded", forReport, suggestions });
    } catch (e) {
      dispatch({ type: "fixesFailed", forReport, error: toIpcError(e).message });
    }
  }

  async function loadHistory(): Promise<void> {
    try {
      dispatch({ type: "historyLoaded", history: await backend.fixHistory() });
    } catch {
      // No history to show; the fixes still work.
    }
  }

  function prepareCopy(report: Report): void {
    const entry: { report: Report; text: string | null } = { report, text: null };
    prepared = entry;
    backend.technicianReport(report).then(
      (text) => {
        if (text.trim() !== "") entry.text = text;
      },
      () => undefined, // Copy asks again
    );
  }

  /**
   * The engine's report for a technician (names, addresses and secrets taken
   * out by the Rust redactor), or null when it can't be had. There is no
   * fallback text made here from the raw state: it would be unredacted.
   */
  async function technicianReport(): Promise<string | null> {
    const report = state.report;
    if (!report) return null;
    try {
      const text = await backend.technicianReport(report);
      return text.trim() !== "" ? text : null;
    } catch {
      return null;
    }
  }

  render(state);
  void loadOverview();

  return {
    get state() {
      return state;
    },
  };
}
