// The grouped checklist. Updated in place as events arrive, so a row that is
// focused or expanded stays focused and expanded; only new rows are inserted.

import type { Finding, Group } from "../bindings";
import { STATUS_WORD, type RowStatus } from "../labels";
import { formatElapsed, type GroupView, type Row } from "../model";
import { chevron, statusIcon } from "./icons";
import { h, idPart, replaceChildren, srOnly } from "./dom";

class RowView {
  readonly element: HTMLLIElement;
  private readonly status: HTMLSpanElement;
  private readonly title: HTMLParagraphElement;
  private readonly summary: HTMLParagraphElement;
  private readonly main: HTMLDivElement;
  private button: HTMLButtonElement | null = null;
  private detail: HTMLDivElement | null = null;
  private shown: { status: RowStatus; finding: Finding | null; title: string } | null = null;
  private tag: HTMLParagraphElement | null = null;

  constructor(private readonly id: string) {
    this.status = h("span", { class: "status" });
    this.title = h("p", { class: "check-title" });
    this.summary = h("p", { class: "check-summary" });
    this.main = h("div", { class: "check-text" }, this.title, this.summary);
    this.element = h("li", { class: "check", "data-id": id }, this.status, this.main);
  }

  /** Shows or hides the "related" mark; a marked row can take focus. */
  relate(on: boolean): void {
    this.element.classList.toggle("related", on);
    if (on && !this.tag) {
      this.tag = h("p", { class: "related-tag" }, "Related to the cause above");
      this.main.prepend(this.tag);
      this.element.tabIndex = -1;
    } else if (!on && this.tag) {
      this.tag.remove();
      this.tag = null;
      this.element.removeAttribute("tabindex");
    }
  }

  update(row: Row): void {
    const s = this.shown;
    if (s?.status === row.status && s.finding === row.finding && s.title === row.title) return;
    this.shown = { status: row.status, finding: row.finding, title: row.title };
    this.element.dataset.status = row.status;
    replaceChildren(
      this.status,
      statusIcon(row.status),
      h("span", { class: "status-word" }, STATUS_WORD[row.status]),
    );
    this.title.textContent = row.title;
    // A row that never finished has only its status word ("Not finished").
    this.summary.textContent = row.finding?.summary ?? "";
    this.summary.hidden = this.summary.textContent === "";
    if (row.finding) this.showDetail(row.title, row.finding);
  }

  private showDetail(title: string, f: Finding): void {
    const detailId = `detail-${idPart(this.id)}`;
    if (!this.button || !this.detail) {
      this.detail = h("div", { class: "check-detail", id: detailId, hidden: true });
      this.button = h("button", {
        type: "button",
        class: "disclosure",
        "aria-expanded": "false",
        "aria-controls": detailId,
      });
      this.button.addEventListener("click", () => {
        const open = this.button?.getAttribute("aria-expanded") !== "true";
        this.button?.setAttribute("aria-expanded", String(open));
        if (this.detail) this.detail.hidden = !open;
      });
      this.element.append(this.button, this.detail);
    }
    replaceChildren(this.button, chevron(), h("span", {}, "Details"), srOnly(` about ${title}`));
    replaceChildren(
      this.detail,
      h(
        "pre",
        { class: "detail-text" },
        f.detail.trim() === "" ? "No technical detail." : f.detail,
      ),
      h("p", { class: "elapsed" }, `Took ${formatElapsed(f.elapsed_ms)}`),
    );
  }
}

interface GroupSection {
  element: HTMLElement;
  list: HTMLUListElement;
}

export class Checklist {
  readonly element: HTMLDivElement = h("div", { class: "checklist" });
  private readonly groups = new Map<Group, GroupSection>();
  private readonly rows = new Map<string, RowView>();

  /** Forgets every row (a new run). */
  reset(): void {
    this.groups.clear();
    this.rows.clear();
    this.element.replaceChildren();
  }

  /** The ids of the rows on screen. */
  ids(): Set<string> {
    return new Set(this.rows.keys());
  }

  /**
   * Marks the rows of these check ids as related to a cause (and unmarks the
   * rest), with a word as well as a frame, and returns the first on screen.
   */
  highlight(ids: readonly string[]): HTMLElement | null {
    for (const [id, view] of this.rows) view.relate(ids.includes(id));
    return this.element.querySelector<HTMLElement>(".check.related");
  }

  update(groups: readonly GroupView[]): void {
    let prevSection: Element | null = null;
    for (const g of groups) {
      const section = this.section(g, prevSection);
      let prevRow: Element | null = null;
      for (const row of g.rows) {
        let view = this.rows.get(row.id);
        if (!view) {
          view = new RowView(row.id);
          this.rows.set(row.id, view);
          section.list.insertBefore(
            view.element,
            prevRow ? prevRow.nextSibling : section.list.firstChild,
          );
        }
        view.update(row);
        prevRow = view.element;
      }
      prevSection = section.element;
    }
  }

  private section(g: GroupView, prev: Element | null): GroupSection {
    const existing = this.groups.get(g.group);
    if (existing) return existing;
    const headingId = `group-${g.group}`;
    const list = h("ul", { class: "checks", role: "list" });
    const element = h(
      "section",
      { class: "group", "aria-labelledby": headingId },
      h("h2", { id: headingId }, g.label),
      list,
    );
    this.element.insertBefore(element, prev ? prev.nextSibling : this.element.firstChild);
    const made = { element, list };
    this.groups.set(g.group, made);
    return made;
  }
}
