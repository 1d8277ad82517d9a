// The quick exit, loaded in every page's <head> before anything is drawn (not deferred), so that it can also hide
// a page that Back would bring back after an exit. A tap hides the page at once (before the next page arrives),
// marks this tab as exited and replaces the page in the history with the exit address (about:blank by default: no
// request leaves the device). After an exit, a page of ours reached by Back or Forward, fresh or from the
// back-forward cache, is hidden and replaced the same way, so nothing (no guide, no summary, no answer typed into the
// form) is one Back away. Opening the site again on purpose (a link, the address bar, the installed app) clears the
// mark. sessionStorage is this tab's alone and goes when the tab is closed.
"use strict";

(() => {
  const KEY = "quick-exit";
  const root = document.documentElement;
  const exited = () => {
    try {
      return sessionStorage.getItem(KEY) === "1";
    } catch {
      return false;
    }
  };
  const leave = () => {
    root.style.display = "none"; // nothing of the page stays on screen while the next one loads
    document.title = "\u200b";
    try {
      sessionStorage.setItem(KEY, "1");
    } catch {
      // storage refused (a strict private mode): the page is still hidden and replaced
    }
    location.replace(root.dataset.exit || "about:blank");
  };
  window.quickExit = leave;

  const navigation = performance.getEntriesByType?.("navigation")[0];
  if (exited()) {
    if (navigation?.type === "back_forward") leave();
    else sessionStorage.removeItem(KEY);
  }
  // A page kept whole in the back-forward cache does not load again: it is shown, and "pageshow" says so.
  addEventListener("pageshow", (event) => {
    if (event.persisted && exited()) leave();
  });
  // On a keyboard: Escape twice within a second leaves too.
  let lastEscape = 0;
  addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    if (event.timeStamp - lastEscape < 1000) leave();
    lastEscape = event.timeStamp;
  });
  addEventListener("click", (event) => {
    const link = event.target instanceof Element ? event.target.closest("a.quick-exit") : null;
    if (!link) return;
    event.preventDefault();
    leave();
  });
})();
