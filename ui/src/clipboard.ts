// Puts text on the clipboard: the async Clipboard API first, then the old
// textarea + execCommand("copy") way for webviews that refuse it.

export async function copyText(text: string): Promise<boolean> {
  try {
    // Typed as always present; a webview outside a secure context has none.
    const clipboard = navigator.clipboard as Clipboard | undefined;
    if (clipboard) {
      await clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the old way
  }
  return copyWithTextarea(text);
}

function copyWithTextarea(text: string): boolean {
  const active = document.activeElement;
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.setAttribute("aria-hidden", "true");
  // Style properties set from script are allowed by the CSP (no inline styles).
  area.style.position = "fixed";
  area.style.top = "0";
  area.style.left = "-9999px";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  let ok: boolean;
  try {
    // Deprecated, but the only fallback some webviews honour.
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  area.remove();
  if (active instanceof HTMLElement) active.focus();
  return ok;
}
