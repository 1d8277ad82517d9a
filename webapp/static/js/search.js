// Search in the page: the same search as the server's (webapp/search/__init__.py), over the guide pages the service
// worker has stored, so it works offline and the words searched for never leave the phone or enter the history.
// Each guide page is cut at its h2 and h3 headings that have an id; a section is found when each word of the query
// is in its text in either script; the hit is shown in the reader's script and links to guide#section.
// Without stored pages (the first visit, before the worker is ready) the form is sent to the server as usual.
"use strict";

(() => {
  const page = document.getElementById("search-page");
  if (!page) return;
  const MAX_QUERY = 50;
  const MAX_HITS = 30;
  const SNIPPET = 28;
  const VARIANTS = ["zh-hans", "zh-hant"];
  const variant = document.documentElement.dataset.variant;
  const slugs = page.dataset.slugs.split(" ");
  const form = page.querySelector("form");
  const input = form.querySelector("input[name=q]");
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const message = (key, fill) => {
    let text = document.getElementById("search-messages").content.querySelector(`[data-key="${key}"]`).textContent;
    for (const [name, value] of Object.entries(fill)) text = text.replace(`{${name}}`, value);
    return text;
  };
  const squash = (text) => text.replace(/\s+/g, " ").trim();
  const words = (query) => query.normalize("NFKC").slice(0, MAX_QUERY).toLowerCase().split(/\s+/).filter(Boolean);

  const sectionsOf = (doc, slug) => {
    const title = squash(doc.querySelector("h1")?.textContent || "");
    const parts = [{ anchor: "", heading: "", text: [] }];
    const body = doc.querySelector(".guide-body");
    if (!body) return [];
    const walker = doc.createTreeWalker(body, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.nodeType === Node.TEXT_NODE) parts.at(-1).text.push(node.data);
      else if ((node.tagName === "H2" || node.tagName === "H3") && node.id) {
        parts.push({ anchor: node.id, heading: squash(node.textContent), text: [] });
      }
    }
    return parts
      .map((p) => ({ slug, anchor: p.anchor, guideTitle: title, heading: p.heading || title, text: squash(p.text.join("")) }))
      .filter((p) => p.text);
  };

  let sections = null; // variant -> every section of every guide, in the same order in both
  const load = async () => {
    if (sections || !("caches" in window)) return sections;
    const name = (await caches.keys()).find((n) => n.startsWith("pages-"));
    if (!name) return null;
    const cache = await caches.open(name);
    const found = {};
    for (const v of VARIANTS) {
      found[v] = [];
      for (const slug of slugs) {
        const response = await cache.match(`/${v}/guides/${slug}`);
        if (!response) return null;
        found[v].push(...sectionsOf(new DOMParser().parseFromString(await response.text(), "text/html"), slug));
      }
    }
    sections = found;
    return sections;
  };

  const search = (query) => {
    const terms = words(query);
    if (!terms.length) return [];
    const shown = sections[variant];
    const others = VARIANTS.filter((v) => v !== variant).map((v) => sections[v]);
    const scored = [];
    shown.forEach((section, order) => {
      const versions = [section, ...others.map((o) => o[order] || { text: "", heading: "" })];
      const texts = versions.map((v) => v.text.toLowerCase());
      if (!terms.every((w) => texts.some((t) => t.includes(w)))) return;
      // Each word counts in the script that has it, so a query scores the same in either script.
      let score = 0;
      for (const w of terms) {
        score += Math.max(
          ...versions.map((v) => v.text.toLowerCase().split(w).length - 1 + (v.heading.toLowerCase().includes(w) ? 10 : 0)),
        );
      }
      const at = texts.find((t) => t.includes(terms[0])).indexOf(terms[0]);
      scored.push({ score, order, section, at, length: terms[0].length });
    });
    scored.sort((a, b) => b.score - a.score || a.order - b.order);
    return scored.slice(0, MAX_HITS);
  };

  const show = (query, hits) => {
    list.replaceChildren();
    status.textContent = hits.length ? message("found", { num: hits.length, query }) : message("none", { query });
    for (const { section, at, length } of hits) {
      const text = section.text;
      const end = Math.min(at + length, text.length);
      const start = Math.max(at - SNIPPET, 0);
      const link = Object.assign(document.createElement("a"), {
        href: `/${variant}/guides/${section.slug}${section.anchor ? `#${section.anchor}` : ""}`,
        textContent: section.heading,
      });
      const guide = Object.assign(document.createElement("span"), { className: "search-guide", textContent: section.guideTitle });
      const snippet = Object.assign(document.createElement("span"), { className: "search-snippet" });
      snippet.append(
        (start ? "…" : "") + text.slice(start, at),
        Object.assign(document.createElement("mark"), { textContent: text.slice(at, end) }),
        text.slice(end, end + SNIPPET) + (end + SNIPPET < text.length ? "…" : ""),
      );
      const item = document.createElement("li");
      item.append(link, " ", guide, " ", snippet);
      list.append(item);
    }
  };

  const searchHere = async (query) => {
    if (!(await load())) return false;
    show(query, search(query));
    return true;
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const query = input.value;
    if (await searchHere(query)) return;
    if (navigator.onLine) form.submit();
    else status.textContent = message("unsaved", {});
  });

  // Opened offline with a query (/<v>/search?q=…): the stored page answered, without the server's results.
  const asked = new URLSearchParams(location.search).get("q") || "";
  if (asked && page.dataset.query !== asked) {
    input.value = asked;
    searchHere(asked).then((done) => {
      if (!done) status.textContent = message("unsaved", {});
    });
  }
})();
