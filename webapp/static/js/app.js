// The page side of the offline app: service worker registration, the "new version" prompt, install, and the
// offline indicator. Plain script, no framework; every visible text is in the page, translated, and only shown
// or hidden here.
"use strict";

(() => {
  const variant = document.documentElement.dataset.variant;
  const $ = (id) => document.getElementById(id);

  // The script switch keeps the reader's place in a guide: the section last jumped to (while the reader has not
  // scrolled by hand since), else the section being read (the last heading above the top of the screen, below the
  // sticky header).
  let jumped = location.hash.slice(1);
  addEventListener("hashchange", () => { jumped = location.hash.slice(1); });
  for (const type of ["wheel", "touchmove", "keydown"]) addEventListener(type, () => { jumped = ""; }, { passive: true });
  for (const link of document.querySelectorAll("a.variant-switch")) {
    link.addEventListener("click", () => {
      const headerBottom = document.querySelector(".site-header")?.getBoundingClientRect().bottom ?? 0;
      let place = jumped;
      for (const heading of document.querySelectorAll("main h2[id], main h3[id]")) {
        if (!jumped && heading.getBoundingClientRect().top <= headerBottom + 24) place = heading.id;
      }
      if (place) link.hash = place;
    });
  }

  // Offline indicator
  const offlineNote = $("offline-indicator");
  const showConnection = () => { offlineNote.hidden = navigator.onLine; };
  addEventListener("online", showConnection);
  addEventListener("offline", showConnection);
  showConnection();

  // Saves a fetched file under a name of ours (situation.js uses it too, for the summary PDF).
  const saveBlob = (blob, name) => {
    const url = URL.createObjectURL(blob);
    const save = Object.assign(document.createElement("a"), { href: url, download: name });
    document.body.append(save);
    save.click();
    save.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };
  window.saveBlob = saveBlob;

  // A form that posts answers for a PDF (the summary's, a letter's): fetched without leaving the page, so a lost
  // connection never takes the page off the screen, and saved under the name the server chose (filename*, in the
  // reader's script). A refusal (too long to print, a busy server) is explained by the server on a page of its own.
  // `say(key)` shows one of: offline, sending, done, failed.
  window.postForPdf = (form, button, say, fallbackName) => {
    const fileName = (response) => {
      const header = response.headers.get("Content-Disposition") || "";
      const encoded = /filename\*=UTF-8''([^;]+)/i.exec(header);
      if (encoded) return decodeURIComponent(encoded[1]);
      return /filename="([^"]+)"/i.exec(header)?.[1] || fallbackName;
    };
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!navigator.onLine) {
        say("offline");
        return;
      }
      button.disabled = true;
      say("sending");
      try {
        const response = await fetch(form.action, {
          method: "POST",
          body: new URLSearchParams(new FormData(form)),
          credentials: "same-origin",
        });
        if (!response.ok || !(response.headers.get("Content-Type") || "").startsWith("application/pdf")) {
          form.submit();
          return;
        }
        saveBlob(await response.blob(), fileName(response));
        say("done");
      } catch {
        say(navigator.onLine ? "failed" : "offline");
      } finally {
        button.disabled = false;
      }
    });
  };

  // "Change answers" offline: the saved form, which restores the answers kept on this phone.
  // "Clear my answers" on a form, only after the reader confirms (#wipe-section with #wipe-answers, #wipe-confirm,
  // #wipe-no, #wipe-yes, #wiped): `clear` empties the form and its saved copy. Shared by the situation and letters.
  window.confirmWipe = (clear) => {
    const wipeButton = $("wipe-answers");
    const confirmBox = $("wipe-confirm");
    const askToWipe = (open) => {
      confirmBox.hidden = !open;
      wipeButton.setAttribute("aria-expanded", String(open));
      (open ? $("wipe-no") : wipeButton).focus();
    };
    $("wipe-section").hidden = false;
    wipeButton.addEventListener("click", () => {
      $("wiped").hidden = true;
      askToWipe(true);
    });
    $("wipe-no").addEventListener("click", () => askToWipe(false));
    $("wipe-yes").addEventListener("click", () => {
      clear();
      askToWipe(false);
      $("wiped").hidden = false;
    });
  };

  window.changeAnswersOffline = (form) => {
    form.addEventListener("submit", (event) => {
      if (!navigator.onLine) {
        event.preventDefault();
        location.href = form.dataset.formUrl;
      }
    });
  };

  // Guide PDFs: a tap fetches the PDF through the service worker (the network, else the copy kept on this device)
  // and saves it. Chromium does not hand a plain download link to the worker, so offline a tap would do nothing.
  for (const link of document.querySelectorAll("a[data-pdf]")) {
    link.addEventListener("click", async (event) => {
      event.preventDefault();
      const note = link.parentElement.querySelector(".pdf-missing");
      try {
        const response = await fetch(link.href);
        if (!response.ok) throw new Error(String(response.status));
        saveBlob(await response.blob(), link.dataset.pdf);
        if (note) note.hidden = true;
      } catch {
        if (note) note.hidden = false;
      }
    });
  }

  // Install: the browser's prompt where there is one, a short hint on iOS where there is not.
  const standalone = matchMedia("(display-mode: standalone)").matches || navigator.standalone === true;
  const installButton = $("install-button");
  const persist = () => navigator.storage?.persist?.();
  let deferredPrompt = null;
  addEventListener("beforeinstallprompt", (event) => {
    event.preventDefault();
    deferredPrompt = event;
    installButton.hidden = false;
  });
  installButton.addEventListener("click", async () => {
    if (!deferredPrompt) return;
    installButton.hidden = true;
    deferredPrompt.prompt();
    await deferredPrompt.userChoice;
    deferredPrompt = null;
  });
  addEventListener("appinstalled", () => {
    installButton.hidden = true;
    persist();
  });
  if (standalone) persist();
  const iOS = /iphone|ipad|ipod/i.test(navigator.userAgent) || (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1);
  if (iOS && !standalone) $("ios-install-hint").hidden = false;

  // Service worker and updates
  if (!("serviceWorker" in navigator)) return;
  const updateBanner = $("update-banner");
  let accepted = false;
  const offerUpdate = (worker) => {
    updateBanner.hidden = false;
    $("update-button").onclick = () => {
      accepted = true;
      $("update-button").disabled = true;
      worker.postMessage({ type: "skip-waiting" });
    };
  };
  // Reload once, and only when the reader asked for the new version: never mid-reading, never twice.
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (accepted) {
      accepted = false;
      location.reload();
    }
  });
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).then((registration) => {
    if (registration.waiting && navigator.serviceWorker.controller) offerUpdate(registration.waiting);
    registration.addEventListener("updatefound", () => {
      const worker = registration.installing;
      worker?.addEventListener("statechange", () => {
        if (worker.state === "installed" && navigator.serviceWorker.controller) offerUpdate(worker);
      });
    });
  });
  // Tell the worker which variant the reader uses: "/" reopens it, and its guide PDFs are kept offline.
  navigator.serviceWorker.ready.then((registration) => {
    registration.active?.postMessage({ type: "hello", variant });
  });
})();
