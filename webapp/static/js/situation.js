// The situation form and its summary, with JavaScript. On the form: answers are saved on this device as they are
// typed (localStorage, never sent anywhere until the reader asks for a summary), restored on return, and wiped
// after the reader confirms; sending shows its progress, and says so if no answer comes. On the summary: "download
// PDF" fetches the file without leaving the page, so a lost connection never takes the summary off the screen.
// Without JavaScript both work as plain forms. Every visible text is in the page, translated.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const SLOW_MS = 10000;

  const form = $("situation-form");
  if (form) situationForm(form);
  const pdfForm = $("pdf-form");
  if (pdfForm) summaryPage(pdfForm);

  function situationForm(form) {
    const KEY = "situation-answers";
    const rows = $("log-rows");

    // Contact log rows: add and remove, renumbering field names so the server reads them in order.
    const renumber = () => {
      [...rows.children].forEach((row, index) => {
        for (const field of row.querySelectorAll("[name^='contact_log-']")) {
          field.name = field.name.replace(/^contact_log-\d+-/, `contact_log-${index}-`);
        }
        setIds(row, index);
      });
    };
    const clearRow = (row) => {
      for (const field of row.querySelectorAll("input")) field.value = "";
      for (const error of row.querySelectorAll(".field-error")) error.remove();
    };
    const addRow = () => {
      const row = rows.lastElementChild.cloneNode(true);
      clearRow(row);
      rows.append(row);
      renumber();
      wireRemove(row);
      row.querySelector("input").focus();
      return row;
    };
    const setIds = (row, index) => {
      for (const field of row.querySelectorAll("[id^='contact_log-']")) {
        field.id = field.id.replace(/^contact_log-\d+-/, `contact_log-${index}-`);
      }
    };
    const wireRemove = (row) => {
      const button = row.querySelector(".remove-row");
      button.hidden = false;
      button.onclick = () => {
        if (rows.children.length > 1) row.remove();
        else clearRow(row);
        renumber();
        save();
      };
    };
    [...rows.children].forEach(wireRemove);
    $("add-row").hidden = false;
    $("add-row").addEventListener("click", addRow);

    // Removing every row at once: a second tap within a few seconds confirms (the first says how many would go).
    const clearRows = $("clear-rows");
    const clearLabel = clearRows.textContent;
    let armed = null;
    const disarm = () => {
      clearTimeout(armed);
      armed = null;
      clearRows.textContent = clearLabel;
    };
    clearRows.hidden = false;
    clearRows.addEventListener("click", () => {
      if (!armed) {
        clearRows.textContent = clearRows.dataset.confirm.replace("{n}", rows.children.length);
        armed = setTimeout(disarm, 5000);
        return;
      }
      disarm();
      while (rows.children.length > 1) rows.lastElementChild.remove();
      clearRow(rows.firstElementChild);
      renumber();
      save();
      rows.querySelector("input").focus();
    });

    // Saving and restoring the answers on this device.
    const snapshot = () => {
      const data = {};
      for (const [name, value] of new FormData(form)) (data[name] ||= []).push(value);
      return data;
    };
    const save = () => localStorage.setItem(KEY, JSON.stringify(snapshot()));
    const restore = (data) => {
      const logRows = Object.keys(data).filter((n) => n.startsWith("contact_log-") && n.endsWith("-date")).length;
      while (rows.children.length < logRows) addRow();
      for (const field of form.elements) {
        if (!field.name || !(field.name in data)) {
          if (field.type === "checkbox") field.checked = false;
          continue;
        }
        const values = data[field.name];
        if (field.type === "checkbox" || field.type === "radio") field.checked = values.includes(field.value);
        else if (field.type !== "hidden") field.value = values[0] ?? "";
      }
    };
    const saved = localStorage.getItem(KEY);
    // A form the server filled (errors, a rate to confirm, or "change answers") is newer than what this device saved.
    if (saved && form.dataset.prefilled !== "true") {
      try {
        restore(JSON.parse(saved));
      } catch {
        localStorage.removeItem(KEY);
      }
    }
    form.addEventListener("input", save);
    form.addEventListener("change", save);
    save();

    // Wiping, only after the reader confirms: the saved copy goes, and the form returns to its empty state.
    const emptyValue = (field) => {
      if (field.type === "checkbox") return false;
      if (field.type === "radio") {
        return (field.name === "lender_type" && field.value === "unknown") || (field.name === "reachable" && field.value === "yes");
      }
      return field.dataset.empty ?? "";
    };
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
      localStorage.removeItem(KEY);
      // Every answer on this phone: the letters' forms keep theirs under keys of their own.
      Object.keys(localStorage).filter((k) => k.startsWith("letter-answers-")).forEach((k) => localStorage.removeItem(k));
      while (rows.children.length > 1) rows.lastElementChild.remove();
      for (const field of form.elements) {
        if (field.type === "checkbox" || field.type === "radio") field.checked = emptyValue(field);
        else if (field.tagName === "SELECT") field.selectedIndex = 0;
        else if (field.type !== "button" && field.type !== "submit") field.value = emptyValue(field);
      }
      for (const error of form.querySelectorAll(".field-error")) error.remove();
      $("rate-check")?.remove();
      askToWipe(false);
      $("wiped").hidden = false;
    });
    form.addEventListener("input", () => { $("wiped").hidden = true; });

    // Sending: say so at once, and if no answer comes within ten seconds, say that too (the answers are kept).
    const offlineNote = $("offline-submit");
    const sending = $("sending");
    const submit = $("submit-button");
    const sendingText = sending.textContent;
    let slowTimer = null;
    const idle = () => {
      clearTimeout(slowTimer);
      sending.hidden = true;
      sending.textContent = sendingText;
      submit.disabled = false;
    };
    if (new URLSearchParams(location.search).has("offline")) offlineNote.hidden = false;
    form.addEventListener("submit", (event) => {
      save();
      if (!navigator.onLine) {
        event.preventDefault();
        offlineNote.hidden = false;
        offlineNote.scrollIntoView();
        return;
      }
      sending.hidden = false;
      submit.disabled = true;
      slowTimer = setTimeout(() => {
        sending.textContent = sending.dataset.slow;
        submit.disabled = false;
      }, SLOW_MS);
    });
    addEventListener("pageshow", idle); // back to this page from the summary: not sending any more

    const attention = $("error-summary") || $("rate-check");
    if (attention) attention.focus();
  }

  function summaryPage(pdfForm) {
    const status = $("pdf-status");
    const button = $("pdf-button");
    const message = (key) => $("pdf-messages").content.querySelector(`[data-key="${key}"]`).textContent;
    const say = (key) => {
      status.textContent = message(key);
      status.hidden = false;
    };
    window.postForPdf(pdfForm, button, say, "summary.pdf"); // app.js, loaded on every page
    window.changeAnswersOffline($("change-form"));
  }
})();
