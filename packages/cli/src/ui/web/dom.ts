// A tiny element builder: the page is small enough that a framework would cost more than it saves.

/** Attributes and properties of {@link h}: strings become attributes, `on*` functions listeners. */
export type Props = Record<string, string | number | boolean | undefined | ((event: Event) => void)>;
/** What {@link h} accepts as children: nodes, text, or nothing. */
export type Child = Node | string | number | null | undefined | false;

/** Creates an element with attributes (`class`, `data-*`, ...), listeners (`onclick`) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === false) continue;
    if (typeof value === "function") element.addEventListener(key.slice(2), value);
    else element.setAttribute(key, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

/** Appends children, skipping empty ones. */
export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
  }
}

/** Replaces every child of `parent`. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.textContent = "";
  append(parent, children);
}
