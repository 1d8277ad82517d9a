// The situation form, with JavaScript: answers are saved on this device as they are typed (localStorage, never
// sent anywhere until the reader asks for a summary), restored on return, and wiped by one button. Quick exit
// replaces this page in the history. Without JavaScript the form works as a plain form.
"use strict";

(() => {
  const form = document.getElementById("situation-form");
  if (!form) return;
  const KEY = "situation-answers";
  const rows = document.getElementById("log-rows");
  const $ = (id) => document.getElementById(id);

  // Quick exit: leave at once, and leave nothing to go "back" to.
  $("quick-exit").addEventListener("click", (event) => {
    event.preventDefault();
    location.replace(event.currentTarget.href);
  });

  // Contact log rows: add and remove, renumbering field names so the server reads them in order.
  const renumber = () => {
    [...rows.children].forEach((row, index) => {
      for (const field of row.querySelectorAll("[name^='contact_log-']")) {
        field.name = field.name.replace(/^contact_log-\d+-/, `contact_log-${index}-`);
      }
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
      else field.value = values[0] ?? "";
    }
  };
  const saved = localStorage.getItem(KEY);
  // A form the server filled (errors, or "change answers") is newer than what this device saved.
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

  // Wiping: the saved copy goes, and the form returns to its empty state.
  const emptyValue = (field) => {
    if (field.type === "checkbox") return false;
    if (field.type === "radio") {
      return (field.name === "lender_type" && field.value === "unknown") || (field.name === "reachable" && field.value === "yes");
    }
    return field.dataset.empty ?? "";
  };
  $("wipe-answers").hidden = false;
  $("wipe-answers").addEventListener("click", () => {
    localStorage.removeItem(KEY);
    while (rows.children.length > 1) rows.lastElementChild.remove();
    for (const field of form.elements) {
      if (field.type === "checkbox" || field.type === "radio") field.checked = emptyValue(field);
      else if (field.tagName === "SELECT") field.selectedIndex = 0;
      else if (field.type !== "button" && field.type !== "submit" && field.type !== "hidden") field.value = emptyValue(field);
    }
    for (const error of form.querySelectorAll(".field-error")) error.remove();
    $("wiped").hidden = false;
  });
  form.addEventListener("input", () => { $("wiped").hidden = true; });

  // Offline: say so and keep everything, instead of a browser error page.
  const offlineNote = $("offline-submit");
  if (new URLSearchParams(location.search).has("offline")) offlineNote.hidden = false;
  form.addEventListener("submit", (event) => {
    if (!navigator.onLine) {
      event.preventDefault();
      save();
      offlineNote.hidden = false;
      offlineNote.scrollIntoView();
    }
  });

  const summary = $("error-summary");
  if (summary) summary.focus();
})();
