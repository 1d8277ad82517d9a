// The letters' forms and pages, with JavaScript. On a form: answers are saved on this device as they are typed
// (localStorage, sent nowhere until the reader asks for the letter), restored on return, and on a first visit
// filled in from the answers the reader saved on the situation form ("situation-answers"); offline, sending waits
// and says so. On a letter: "copy" puts its plain text on the clipboard, "download PDF" fetches the file without
// leaving the page. Without JavaScript both work as plain forms. Every visible text is in the page, translated.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const form = $("letter-form");
  if (form) letterForm(form);
  if ($("letter")) letterPage();

  function letterForm(form) {
    const KEY = `letter-answers-${form.dataset.kind}`;
    const rows = $("log-rows");

    const addRow = () => {
      const row = rows.lastElementChild.cloneNode(true);
      for (const field of row.querySelectorAll("input")) field.value = "";
      for (const error of row.querySelectorAll(".field-error")) error.remove();
      rows.append(row);
      [...rows.children].forEach((item, index) => {
        for (const field of item.querySelectorAll("[name^='contact_log-']")) {
          field.name = field.name.replace(/^contact_log-\d+-/, `contact_log-${index}-`);
        }
      });
      return row;
    };
    if (rows) {
      $("add-row").hidden = false;
      $("add-row").addEventListener("click", () => addRow().querySelector("input").focus());
    }

    const snapshot = () => {
      const data = {};
      for (const [name, value] of new FormData(form)) (data[name] ||= []).push(value);
      return data;
    };
    const save = () => localStorage.setItem(KEY, JSON.stringify(snapshot()));
    const restore = (data) => {
      const logRows = Object.keys(data).filter((n) => /^contact_log-\d+-date$/.test(n)).length;
      while (rows && rows.children.length < logRows) addRow();
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
    const read = (key) => {
      try {
        return JSON.parse(localStorage.getItem(key) || "null");
      } catch {
        return null;
      }
    };

    // What the situation form saved, as this letter's answers: the first debt's lender, the contacts, the
    // contact log, what the reader can pay each month. Only fields this form has are filled.
    const fromSituation = (saved) => {
      const one = (name) => (saved[name] || [])[0] || "";
      const contacts = saved.contacts || [];
      const data = {};
      // The situation form's first debt (saved as debts-0-*; a form of before #23 saved platform and lender_type).
      const lender = one("debts-0-lender") || one("platform");
      if (lender) data.lender = [lender];
      if ((one("debts-0-lender_type") || one("lender_type")) === "private") data.lender_kind = ["private"];
      if (one("monthly_payment") && one("monthly_payment") !== "0") data.monthly = [one("monthly_payment")];
      data.contacts = contacts;
      const third = [];
      if (contacts.includes("call_contacts")) third.push("family", "friends");
      if (contacts.includes("call_employer") || contacts.includes("workplace_visit")) third.push("employer");
      data.third_parties = third;
      for (const [name, values] of Object.entries(saved)) {
        if (name.startsWith("contact_log-")) data[name] = values;
      }
      const filled = {};
      for (const [name, values] of Object.entries(data)) {
        const exists = [...form.elements].some((f) => f.name === name || (name.startsWith("contact_log-") && rows));
        if (exists && values.length) filled[name] = values;
      }
      return filled;
    };

    if (form.dataset.prefilled !== "true") {
      const own = read(KEY);
      const situation = read("situation-answers");
      if (own) restore(own);
      else if (situation) {
        const filled = fromSituation(situation);
        if (Object.keys(filled).length) {
          restore({ ...snapshot(), ...filled });
          $("prefill-note").hidden = false;
        }
      }
    }
    form.addEventListener("input", save);
    form.addEventListener("change", save);

    $("wipe-section").hidden = false;
    $("wipe-answers").addEventListener("click", () => {
      localStorage.removeItem(KEY);
      form.reset();
      $("prefill-note").hidden = true;
      $("wiped").hidden = false;
    });

    form.addEventListener("submit", (event) => {
      save();
      if (!navigator.onLine) {
        event.preventDefault();
        $("offline-submit").hidden = false;
        $("offline-submit").scrollIntoView();
      }
    });
    $("error-summary")?.focus();
  }

  function letterPage() {
    const message = (key) => $("letter-messages").content.querySelector(`[data-key="${key}"]`).textContent;
    const say = (status, key) => {
      status.textContent = message(key);
      status.hidden = false;
    };

    // Copy: the plain text, for an app's chat or a message.
    const copy = $("copy-button");
    const text = $("letter-text");
    copy.hidden = false;
    copy.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(text.value);
        say($("copy-status"), "copied");
      } catch {
        $("plain-text-box").open = true;
        text.focus();
        text.select();
        say($("copy-status"), document.execCommand("copy") ? "copied" : "copy-failed");
      }
    });

    // The PDF, fetched without leaving the page: a lost connection never takes the letter off the screen.
    const pdfForm = $("pdf-form");
    const button = $("pdf-button");
    const status = $("pdf-status");
    window.postForPdf(pdfForm, button, (key) => say(status, key), "letter.pdf"); // app.js, loaded on every page
    window.changeAnswersOffline($("change-form"));
  }
})();
