// The only way the add-on builds UI from data: elements and text nodes.
// Mail-derived strings are never parsed as HTML (no innerHTML anywhere).

/**
 * @param {Document} doc
 * @param {string} tag
 * @param {Record<string, any>|null} [props] className, dataset, title, other attributes
 * @param {...(Node|string|number|null|undefined|false)} children strings become text nodes
 * @returns {HTMLElement}
 */
export function el(doc, tag, props, ...children) {
  const node = doc.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v == null || v === false) continue;
    if (k === "className") node.className = v;
    else if (k === "dataset") Object.assign(node.dataset, v);
    else if (k === "text") node.textContent = String(v);
    else if (/^on/i.test(k)) throw new Error("event handlers go through addEventListener");
    else node.setAttribute(k, String(v));
  }
  for (const c of children) {
    if (c == null || c === false) continue;
    node.append(typeof c === "object" ? c : doc.createTextNode(String(c)));
  }
  return node;
}
