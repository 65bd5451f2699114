/** Small DOM helpers shared by the claim view and the brand console. */
import { shortHex } from "./format";

export const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const e = document.getElementById(id);
  if (!e) throw new Error(`#${id} missing from index.html`);
  return e as T;
};

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<Record<string, string>> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined) continue;
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

/** Copies `text`; falls back to selecting a hidden textarea where the Clipboard API is unavailable. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const ta = el("textarea", { class: "sr-only", readonly: "" });
    ta.value = text;
    document.body.append(ta);
    ta.select();
    const ok = document.execCommand("copy");
    ta.remove();
    return ok;
  }
}

/**
 * A transaction hash the user can keep: shortened on screen (full in the title and `data-hash`), a Copy button and,
 * when the config names a block explorer, a link to the transaction there (none on a local chain).
 */
export function txHashView(hash: string, explorerUrl: string | undefined): HTMLSpanElement {
  const box = el("span", { class: "txhash", "data-hash": hash });
  box.append(el("code", { title: hash, text: shortHex(hash, 6) }));
  const copy = el("button", { type: "button", class: "link copy-hash", "aria-label": `Copy transaction hash ${hash}`, text: "Copy" });
  copy.addEventListener("click", () => {
    void copyText(hash).then((ok) => {
      copy.textContent = ok ? "Copied" : "Copy failed";
      setTimeout(() => (copy.textContent = "Copy"), 1500);
    });
  });
  box.append(copy);
  if (explorerUrl) box.append(el("a", { class: "explorer", href: `${explorerUrl}/tx/${hash}`, target: "_blank", rel: "noopener noreferrer", text: "View on explorer" }));
  return box;
}

/** An amount that is rounded on screen, with the exact figure one tap away (a tooltip alone is invisible on a phone). */
export function amountView(shown: string, exact: string, unit: string, rounded: boolean): HTMLElement {
  if (!rounded) return el("span", { class: "amount", text: `${shown} ${unit}` });
  const d = el("details", { class: "amount exact-toggle" });
  d.append(el("summary", { title: `${exact} ${unit}`, text: `${shown} ${unit}` }), el("span", { class: "exact small", text: `exactly ${exact} ${unit}` }));
  return d;
}
