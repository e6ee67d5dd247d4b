// Fixes in plain words: which of a cause's fixes can be made here, what the
// confirmation says before anything runs, how each step stands while it
// runs, and what the result means (it worked, it didn't, couldn't tell).
// No DOM, no IPC: unit-tested.

import type {
  CauseId,
  CheckChange,
  EntryState,
  HistoryEntry,
  Outcome,
  OutcomeStatus,
  Preview,
  PreviewStep,
  StepResult,
  Suggestion,
} from "./bindings";
import { STATUS_WORD } from "./labels";

export interface CauseFixes {
  /** Fixes that can be made here, in repair order: these are buttons. */
  available: Suggestion[];
  /** Fixes that can't be made on this computer, each with its reason. */
  unavailable: Suggestion[];
}

/** A cause's fixes, in the order the engine gave them (repair order). */
export function fixesForCause(suggestions: readonly Suggestion[], causeId: CauseId): CauseFixes {
  const mine = suggestions.filter((s) => s.causes.includes(causeId));
  return {
    available: mine.filter((s) => s.preview.applicable),
    unavailable: mine.filter((s) => !s.preview.applicable),
  };
}

/** Check `id` is one of a fix's checks (`udp.*` means every UDP check), as the engine matches them. */
export function verifies(patterns: readonly string[], id: string): boolean {
  return patterns.some((p) => (p.endsWith("*") ? id.startsWith(p.slice(0, -1)) : p === id));
}

export const ADMIN_NOTE = "Your computer will ask for an administrator password.";

export interface ConfirmText {
  /** The fix's title: the dialog's heading and its primary button. */
  heading: string;
  why: string;
  /** What will happen, in order. */
  steps: string[];
  admin: string | null;
  restart: string | null;
  sideEffects: string[];
  /** A broad fix says so before it runs. */
  caution: string | null;
  undo: string;
  /** How Meeting Doctor will tell whether it worked. */
  recheck: string;
  /** The exact commands, for a technician. */
  details: PreviewStep[];
}

/**
 * The confirmation of a fix. `checkTitles` names the checks of this run,
 * so the fix's checks can be named.
 */
export function confirmText(
  preview: Preview,
  checkTitles: ReadonlyMap<string, string>,
): ConfirmText {
  const fix = preview.fix;
  const names = [...checkTitles.entries()]
    .filter(([id]) => verifies(fix.verify, id))
    .map(([, title]) => title);
  const recheck =
    names.length === 0
      ? "Afterwards, Meeting Doctor checks again whether it helped."
      : names.length <= 3
        ? `Afterwards, Meeting Doctor checks again: ${names.join(", ")}.`
        : `Afterwards, Meeting Doctor runs ${String(names.length)} checks again to see whether it helped.`;
  return {
    heading: fix.title,
    why: fix.why,
    steps: preview.steps.map((s) => s.title),
    admin: preview.asks_password ? ADMIN_NOTE : null,
    restart: preview.needs_restart ? "You'll need to restart the computer afterwards." : null,
    sideEffects: preview.side_effects,
    caution:
      fix.risk === "high" ? "This is a broad change. Try the other fixes and steps first." : null,
    undo: preview.undo,
    recheck,
    details: preview.steps,
  };
}

/** "Meeting Doctor waits up to 2 minutes for it." */
export function waitText(timeoutS: number): string {
  const span =
    timeoutS >= 120 && timeoutS % 60 === 0
      ? `${String(timeoutS / 60)} minutes`
      : `${String(timeoutS)} seconds`;
  return `Meeting Doctor waits up to ${span} for it.`;
}

export type StepState = "waiting" | "running" | "done" | "failed" | "not_run";

export const STEP_STATE_WORD: Record<StepState, string> = {
  waiting: "Not started",
  running: "Working…",
  done: "Done",
  failed: "Didn't work",
  not_run: "Not done",
};

/**
 * Where each of `count` steps stands. `results` are the steps reported so
 * far (by index; steps that only read are never reported, and a fix made
 * with administrator rights reports them only at the end); `end` is how it
 * ended, or null while it runs; while `approving`, nothing has started.
 */
export function stepStates(
  count: number,
  results: readonly StepResult[],
  end: OutcomeStatus | null,
  approving = false,
): StepState[] {
  const failed = results.find((r) => !r.ok)?.index;
  const reached = results.reduce((m, r) => Math.max(m, r.index), -1);
  const states: StepState[] = [];
  for (let i = 0; i < count; i++) {
    if (failed !== undefined && i === failed) states.push("failed");
    else if (failed !== undefined && i > failed) states.push("not_run");
    else if (end === "applied" || i <= reached) states.push("done");
    else if (end !== null) states.push("not_run");
    else states.push("waiting");
  }
  if (end === null && !approving && failed === undefined) {
    const next = states.indexOf("waiting");
    if (next >= 0) states[next] = "running";
  }
  return states;
}

export type ResultTone = "ok" | "problem" | "unknown" | "neutral";

export interface ResultText {
  tone: ResultTone;
  headline: string;
  /** The engine's own words, when they add something. */
  detail: string | null;
  /** What to do next, if anything. */
  next: string | null;
  /** Offer the fix as a script for someone with administrator rights. */
  offerScript: boolean;
}

const ASK_HELP =
  "If you don't have an administrator password, ask your help desk to make this change: “Copy as script” gives them the exact commands.";

function verified(outcome: Outcome, needsRestart: boolean): ResultText {
  const v = outcome.verification;
  const checks = v?.checks ?? [];
  const restart = needsRestart
    ? "Restart the computer to finish the change; the checks may only pass after that. "
    : "";
  const text = (tone: ResultTone, headline: string, next: string): ResultText => ({
    tone,
    headline,
    detail: null,
    next: `${restart}${next}`,
    offerScript: false,
  });
  const again = "Try Zoom again. If it still doesn't connect, press Check again.";
  const nextFix = "Try the next fix, or the steps on the main screen.";
  if (!v || checks.length === 0)
    return text("unknown", "Done. Meeting Doctor couldn't check whether it helped.", again);
  // "Couldn't check" is neither a failure nor a pass.
  const failing = checks.filter((c) => c.after === "fail").length;
  if (v.helped && failing === 0)
    return text("ok", "Done, and it worked: what failed before passes now.", "Try Zoom again.");
  if (v.all_pass) return text("ok", "Done. Its checks pass.", "Try Zoom again.");
  if (v.helped) return text("ok", "Done. It helped, but some checks still fail.", nextFix);
  if (failing > 0) return text("problem", "Done, but the problem is still there.", nextFix);
  return text("unknown", "Done, but Meeting Doctor couldn't tell whether it helped.", again);
}

/** The result of a fix (`apply`) or of undoing one, in plain words. */
export function resultText(
  outcome: Outcome,
  action: "apply" | "undo",
  options: { needsRestart?: boolean; canUndo?: boolean } = {},
): ResultText {
  const undoing = action === "undo";
  const nothing = undoing ? "Nothing was undone" : "Nothing was changed";
  switch (outcome.status) {
    case "applied":
      if (undoing)
        return {
          tone: "ok",
          headline: "Undone. What this fix changed is back as it was.",
          detail: null,
          next: null,
          offerScript: false,
        };
      return verified(outcome, options.needsRestart ?? false);
    case "failed":
      return {
        tone: "problem",
        headline: undoing ? "Not everything could be put back." : "The fix didn't work.",
        detail: outcome.message,
        next: undoing
          ? "Send the details to your help desk: use “Copy for a technician” on the main screen."
          : options.canUndo
            ? "What it did change can be put back with Undo."
            : "Try the other steps on the main screen.",
        offerScript: false,
      };
    case "declined":
      return {
        tone: "neutral",
        headline: `${nothing}: the administrator password wasn't given.`,
        detail: null,
        next: undoing
          ? "Ask your help desk if you don't have an administrator password."
          : ASK_HELP,
        offerScript: !undoing,
      };
    case "cancelled":
      return {
        tone: "neutral",
        headline: "Stopped waiting for the administrator password.",
        detail: outcome.message,
        next: null,
        offerScript: !undoing,
      };
    case "not_authorized":
      return {
        tone: "neutral",
        headline: `${nothing}: this account isn't allowed to make this change.`,
        detail: outcome.message,
        next: undoing
          ? "Ask your help desk to undo it."
          : "Ask your help desk to make it: “Copy as script” gives them the exact commands.",
        offerScript: !undoing,
      };
    case "timed_out":
      return {
        tone: "neutral",
        headline: `${nothing}: nobody answered the administrator password prompt in time.`,
        detail: null,
        next: undoing
          ? "Try again when someone can type the administrator password."
          : "If you're helping from another computer, the prompt may be on a screen you can't see: use “Copy as script” and run it in an administrator shell.",
        offerScript: !undoing,
      };
    case "not_applicable":
      return {
        tone: "neutral",
        headline: "This fix can't be made on this computer.",
        detail: outcome.message,
        next: "Try the other steps on the main screen.",
        offerScript: false,
      };
  }
}

/**
 * The checks run again, split: those that changed or still fail lead; the
 * ones that stayed as they were (OK, or couldn't be checked) go one click below.
 */
export function splitChanges(checks: readonly CheckChange[]): {
  shown: CheckChange[];
  unchanged: CheckChange[];
} {
  const matters = (c: CheckChange) => c.before !== c.after || c.after === "fail";
  return { shown: checks.filter(matters), unchanged: checks.filter((c) => !matters(c)) };
}

/** "Zoom audio and video (port 3478): Problem → OK". */
export function changeText(c: CheckChange): string {
  return `${c.title}: ${c.before ? STATUS_WORD[c.before] : "not checked before"} → ${STATUS_WORD[c.after]}`;
}

export const ENTRY_STATE_WORD: Record<EntryState, string> = {
  applied: "Done",
  failed: "Didn't work",
  interrupted: "Stopped part-way",
  undone: "Undone",
  undo_failed: "Couldn't be fully undone",
};

/** "today at 10:42", "22 Nov at 10:42" in the person's own clock. */
export function whenText(at: string, now: Date = new Date()): string {
  const t = new Date(at);
  if (Number.isNaN(t.getTime())) return at;
  const time = t.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
  const sameDay =
    t.getFullYear() === now.getFullYear() &&
    t.getMonth() === now.getMonth() &&
    t.getDate() === now.getDate();
  return sameDay
    ? `today at ${time}`
    : `${t.toLocaleDateString(undefined, { day: "numeric", month: "short" })} at ${time}`;
}

/** One line of the history: "Quit Zoom completely — Done, today at 10:42". */
export function historyText(e: HistoryEntry, now: Date = new Date()): string {
  return `${ENTRY_STATE_WORD[e.state]}, ${whenText(e.at, now)}`;
}

/** A short line beside a fix's button about how it went last time. */
export function lastTryText(outcome: Outcome, action: "apply" | "undo"): string {
  if (action === "undo" && outcome.status === "applied") return "Undone.";
  return resultText(outcome, action).headline;
}
