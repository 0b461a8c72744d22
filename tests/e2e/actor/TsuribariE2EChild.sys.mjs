// Test-only window actor: lets the e2e harness read and click inside the
// add-on's pages, which run in the extension content process. Fixed commands
// only (no eval): read text/attributes by selector, count nodes, click, set
// a form value, probe page globals.

export class TsuribariE2EChild extends JSWindowActorChild {
  receiveMessage({ name, data }) {
    const doc = this.document;
    const all = sel => [...doc.querySelectorAll(sel)];
    switch (name) {
      case "info":
        return { url: doc.location.href, ready: doc.readyState, body: doc.body ? { ...doc.body.dataset } : null, lang: doc.documentElement.lang };
      case "query":
        return all(data.selector).map(n => ({
          text: n.textContent,
          tag: n.localName,
          attrs: Object.fromEntries([...n.attributes].map(a => [a.name, a.value])),
          open: n.open ?? null,
          value: n.value ?? null,
          checked: n.checked ?? null,
        }));
      case "metrics": {
        const e = doc.documentElement;
        return { width: Math.max(e.scrollWidth, e.clientWidth), height: Math.max(e.scrollHeight, e.clientHeight) };
      }
      case "style": {
        const n = doc.querySelector(data.selector);
        return n ? this.contentWindow.getComputedStyle(n).getPropertyValue(data.property) : null;
      }
      case "count":
        return all(data.selector).length;
      case "click":
        all(data.selector).slice(0, 1).forEach(n => n.click());
        return all(data.selector).length;
      case "set": {
        const n = doc.querySelector(data.selector);
        if (!n) return false;
        if (n.type === "checkbox") n.checked = !!data.value;
        else n.value = data.value;
        n.dispatchEvent(new this.contentWindow.Event("change", { bubbles: true }));
        return true;
      }
      case "global":
        // Only reads own properties of the page's window (e.g. a marker a
        // hostile payload would set if it ever ran).
        return Object.prototype.hasOwnProperty.call(this.contentWindow.wrappedJSObject, data.name);
    }
    return null;
  }
}
