// The diagnosis on the Done screen: the most likely cause with its first step,
// the other causes (collapsed, best first), the call-quality warnings under a
// quieter "Also noticed", and, when nothing explains the person's error code,
// what it means, what was checked and is fine, and what to try next. Plain
// words first; the why and "how to tell it worked" one click below.

import type { Cause, Step } from "../bindings";
import type { Outcome } from "../outcome";
import { h, idPart, srOnly, type Child } from "./dom";
import { chevron, statusIcon } from "./icons";

/** Highlights the rows of these check ids and moves to the first. */
export type ShowChecks = (ids: readonly string[]) => void;

export interface DiagnosisOptions {
  /** The check ids that have a row on screen (a "Show the checks" link needs one). */
  rowIds: ReadonlySet<string>;
  showChecks: ShowChecks;
  /** Where a cause's fixes go (after its first step), if it has any. */
  fixSlot?: (cause: Cause) => HTMLElement | null;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function sentence(s: string): string {
  const t = capitalize(s.trim());
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

/** "How to tell it worked" (and why it helps), one click below the step. */
function workedIf(step: Step): HTMLDetailsElement {
  return h(
    "details",
    { class: "fold step-more" },
    h("summary", {}, chevron(), h("span", {}, "How to tell it worked", srOnly(`: ${step.title}`))),
    h("p", {}, h("strong", {}, "How to tell it worked: "), step.worked_if),
    step.why && h("p", { class: "step-why" }, h("strong", {}, "Why it helps: "), step.why),
  );
}

/** A step: its title, how to do it, and how to tell it worked below. */
function stepBody(step: Step, title: HTMLElement): Child[] {
  return [title, h("p", { class: "step-how" }, step.how), workedIf(step)];
}

function stepList(steps: readonly Step[], start = 1): HTMLOListElement {
  return h(
    "ol",
    { class: "steps", start: String(start) },
    ...steps.map((s) =>
      h(
        "li",
        { class: "step-item", "data-step": s.id },
        ...stepBody(s, h("p", { class: "step-title" }, s.title)),
      ),
    ),
  );
}

function showChecksButton(cause: Cause, o: DiagnosisOptions): HTMLButtonElement | null {
  const ids = cause.evidence.filter((id) => o.rowIds.has(id));
  if (ids.length === 0) return null;
  const b = h(
    "button",
    { type: "button", class: "link-button show-checks", "data-cause": cause.id },
    ids.length === 1 ? "Show the related check" : `Show the ${String(ids.length)} related checks`,
  );
  b.addEventListener("click", () => {
    o.showChecks(ids);
  });
  return b;
}

/** The most likely cause: why, then the first step in full, then the rest one click below. */
function topCause(cause: Cause, o: DiagnosisOptions): HTMLElement {
  const first = cause.steps.at(0);
  const rest = cause.steps.slice(1);
  const headingId = "first-step-heading";
  return h(
    "section",
    { class: "top-cause", "data-cause": cause.id, "aria-labelledby": first ? headingId : null },
    h("p", { class: "explanation" }, cause.explanation),
    first &&
      h(
        "div",
        { class: "first-step", "data-step": first.id },
        h("h2", { id: headingId }, "Try this first"),
        ...stepBody(first, h("h3", { class: "step-title" }, first.title)),
      ),
    o.fixSlot?.(cause),
    rest.length > 0 &&
      h(
        "details",
        { class: "fold more-steps" },
        h(
          "summary",
          {},
          chevron(),
          h(
            "span",
            {},
            rest.length === 1
              ? "If that doesn't work: 1 more thing to try"
              : `If that doesn't work: ${String(rest.length)} more things to try`,
          ),
        ),
        stepList(rest, 2),
      ),
    showChecksButton(cause, o),
  );
}

/** A cause below the first: its sentence visible, the rest inside. */
function causeItem(cause: Cause, o: DiagnosisOptions): HTMLLIElement {
  return h(
    "li",
    {},
    h(
      "details",
      { class: "fold cause", "data-cause": cause.id, id: `cause-${idPart(cause.id)}` },
      h("summary", {}, chevron(), h("span", {}, cause.summary)),
      h(
        "div",
        { class: "cause-body" },
        h("p", { class: "explanation" }, cause.explanation),
        o.fixSlot?.(cause),
        cause.steps.length > 0 && h("p", { class: "steps-heading" }, "What to try:"),
        cause.steps.length > 0 && stepList(cause.steps),
        showChecksButton(cause, o),
      ),
    ),
  );
}

function causeSection(
  id: string,
  heading: string,
  causes: readonly Cause[],
  o: DiagnosisOptions,
  extraClass: string,
): HTMLElement | null {
  if (causes.length === 0) return null;
  return h(
    "section",
    { class: `causes-section ${extraClass}`, "aria-labelledby": id },
    h("h2", { id }, heading),
    h("ul", { class: "causes", role: "list" }, ...causes.map((c) => causeItem(c, o))),
  );
}

/** No cause explains the error code: what it means, what is fine, what to try. */
function codeSection(outcome: Outcome, errorCode: string | null): HTMLElement | null {
  if (
    outcome.codeMeaning === null &&
    outcome.ruledOut.length === 0 &&
    outcome.nextSteps.length === 0
  )
    return null;
  return h(
    "section",
    { class: "code-section", "aria-labelledby": "code-heading" },
    h(
      "h2",
      { id: "code-heading" },
      errorCode ? `About error ${errorCode}` : "About your error code",
    ),
    outcome.codeMeaning && h("p", { class: "code-meaning" }, sentence(outcome.codeMeaning)),
    outcome.ruledOut.length > 0 &&
      h(
        "div",
        { class: "ruled-out" },
        h("h3", { id: "ruled-out-heading" }, "Checked and fine"),
        h(
          "ul",
          { class: "ruled-out-list", role: "list", "aria-labelledby": "ruled-out-heading" },
          ...outcome.ruledOut.map((r) => h("li", {}, statusIcon("pass"), h("span", {}, r))),
        ),
      ),
    outcome.nextSteps.length > 0 && h("h3", { class: "next-steps-heading" }, "What to try next"),
    outcome.nextSteps.length > 0 && stepList(outcome.nextSteps),
  );
}

/** Everything the diagnosis adds under the headline, in reading order. */
export function diagnosisParts(
  outcome: Outcome,
  errorCode: string | null,
  o: DiagnosisOptions,
): Child[] {
  return [
    outcome.top && topCause(outcome.top, o),
    causeSection("other-causes-heading", "Other possible causes", outcome.others, o, "others"),
    causeSection("also-noticed-heading", "Also noticed", outcome.alsoNoticed, o, "also-noticed"),
    codeSection(outcome, errorCode),
  ];
}
