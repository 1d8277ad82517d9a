// The situation form and its summary, with JavaScript. On the form: debts are added and removed (each folded to a
// one-line header once filled; the order is the summary's to work out, so there is no reordering); answers are
// saved on this device as they are typed (localStorage, never sent anywhere until the reader asks for a summary),
// restored on return, and wiped after the reader confirms; sending shows its progress, and says so if no answer
// comes. On the summary: "download
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

    // Debts: one <li> each, its fields in a <details> whose summary is a one-line header (lender · amount · due
    // date). "Add a debt" folds the filled ones and opens a new one; "remove" asks with a second tap. Field names
    // are renumbered (debts-<n>-<field>) so the server reads them in order; log rows that named a debt follow it.
    const debts = $("debt-rows");
    const maxDebts = Number(debts.dataset.max);
    const addDebt = $("add-debt");
    const paymentLabel = form.querySelector("label[for='monthly_payment']");
    const debtField = (li, name) => li.querySelector(`[name$='-${name}']`);
    const debtFilled = (li) => ["overdue_amount", "due_date"].some((name) => debtField(li, name).value.trim());
    const debtLine = (li) => {
      const line = li.querySelector(".debt-line");
      const amount = debtField(li, "overdue_amount").value.trim();
      const due = debtField(li, "due_date").value.trim();
      const lender = debtField(li, "lender").value.trim();
      const parts = [
        amount && /[0-9]$/.test(amount) ? line.dataset.yuan.replace("{amount}", amount) : amount,
        due ? line.dataset.due.replace("{date}", due) : "",
      ].filter(Boolean).map((part) => Object.assign(document.createElement("span"), { className: "nowrap", textContent: part }));
      // The amount and the date are never broken inside; a long lender's name may be.
      line.replaceChildren(...[lender, ...parts].filter(Boolean).flatMap((part, i) => (i ? [" · ", part] : [part])));
    };
    const renumberDebts = () => {
      [...debts.children].forEach((li, index) => {
        for (const element of li.querySelectorAll("[name], [id], [for], [aria-describedby]")) {
          for (const attribute of ["name", "id", "for", "aria-describedby"]) {
            const value = element.getAttribute(attribute);
            if (value) element.setAttribute(attribute, value.replace(/debts-\d+-/g, `debts-${index}-`));
          }
        }
        const title = li.querySelector(".debt-title");
        title.textContent = title.dataset.title.replace("{n}", index + 1);
      });
    };
    // Which lender a log row was about: a choice only once there are two debts; the choices follow the debts.
    const logChoices = () => {
      const several = debts.children.length > 1;
      const names = [...debts.children].map((li, index) =>
        debts.dataset.choice.replace("{n}", index + 1).replace("{lender}", debtField(li, "lender").value.trim()));
      for (const select of rows.querySelectorAll("select[name$='-debt']")) {
        const chosen = select.value;
        while (select.options.length > 1) select.lastElementChild.remove();
        names.forEach((name, index) => select.append(new Option(name, String(index))));
        select.value = Number(chosen) < names.length ? chosen : "";
        select.closest(".log-debt").hidden = !several;
      }
      paymentLabel.textContent = several ? paymentLabel.dataset.several : paymentLabel.dataset.one;
      addDebt.hidden = debts.children.length >= maxDebts;
      $("debts-full").hidden = debts.children.length < maxDebts;
    };
    const clearDebt = (li) => {
      for (const field of li.querySelectorAll("input, select")) {
        if (field.tagName === "SELECT") field.value = field.dataset.empty ?? field.options[0].value;
        else field.value = "";
        field.removeAttribute("aria-invalid");
        const described = (field.getAttribute("aria-describedby") || "").split(" ").filter((id) => id && !id.endsWith("-error"));
        if (described.length) field.setAttribute("aria-describedby", described.join(" "));
        else field.removeAttribute("aria-describedby");
      }
      for (const note of li.querySelectorAll(".field-error, .debt-flag")) note.remove();
      const check = li.querySelector(".rate-check");
      if (check) {
        const confirm = Object.assign(document.createElement("input"), { type: "hidden", name: check.querySelector("input").name });
        check.replaceWith(confirm);
      }
      debtLine(li);
    };
    const wireDebt = (li) => {
      const button = li.querySelector(".remove-debt");
      const label = button.textContent;
      let armed = null;
      button.hidden = false;
      button.onclick = () => {
        if (!armed) {
          button.textContent = button.dataset.confirm;
          armed = setTimeout(() => { armed = null; button.textContent = label; }, 5000);
          return;
        }
        clearTimeout(armed);
        armed = null;
        button.textContent = label;
        const gone = [...debts.children].indexOf(li);
        for (const select of rows.querySelectorAll("select[name$='-debt']")) {
          const chosen = Number(select.value);
          if (select.value !== "" && chosen === gone) select.value = "";
          else if (select.value !== "" && chosen > gone) select.value = String(chosen - 1);
        }
        const next = li.nextElementSibling || li.previousElementSibling;
        if (debts.children.length > 1) li.remove();
        else clearDebt(li);
        renumberDebts();
        logChoices();
        save();
        (next || debts.firstElementChild).querySelector("summary").focus();
      };
      li.addEventListener("input", () => {
        debtLine(li);
        logChoices();
      });
    };
    const newDebt = () => {
      const li = debts.firstElementChild.cloneNode(true);
      li.classList.remove("spare");
      debtField(li, "lender").removeAttribute("data-empty");
      clearDebt(li);
      debts.append(li);
      renumberDebts();
      wireDebt(li);
      return li;
    };
    // The spare row is for readers without JavaScript: here "add a debt" makes one when it is wanted.
    for (const spare of debts.querySelectorAll(".spare")) {
      if (![...spare.querySelectorAll("input:not([type=hidden])")].some((f) => f.value.trim())) spare.remove();
    }
    [...debts.children].forEach(wireDebt);
    renumberDebts();
    logChoices();
    addDebt.addEventListener("click", () => {
      if (debts.children.length >= maxDebts) return;
      for (const li of debts.children) if (debtFilled(li) && !li.querySelector(".field-error")) li.querySelector("details").open = false;
      const li = newDebt();
      li.querySelector("details").open = true;
      logChoices();
      save();
      debtField(li, "lender").focus();
    });

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
      for (const field of row.querySelectorAll("select[name$='-debt']")) field.value = "";
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
    // Answers saved by the one-debt form of old (top-level names) are the first debt's.
    const LEGACY = ["due_date", "overdue_amount", "outstanding_total", "annual_rate_percent", "penalty_daily_rate_percent",
      "penalty_rate_unit", "contract_date", "lender_type", "platform"];
    const restore = (saved) => {
      const data = { ...saved };
      if (!Object.keys(data).some((n) => n.startsWith("debts-"))) {
        for (const name of LEGACY) if (name in data) data[`debts-0-${name === "platform" ? "lender" : name}`] = data[name];
      }
      const logRows = Object.keys(data).filter((n) => n.startsWith("contact_log-") && n.endsWith("-date")).length;
      while (rows.children.length < logRows) addRow();
      const debtRows = Math.min(maxDebts, Object.keys(data).filter((n) => /^debts-\d+-lender$/.test(n)).length);
      while (debts.children.length < debtRows) newDebt();
      logChoices(); // the log rows' choices exist before their saved values are set
      for (const field of form.elements) {
        if (!field.name || !(field.name in data)) {
          if (field.type === "checkbox") field.checked = false;
          continue;
        }
        const values = data[field.name];
        if (field.type === "checkbox" || field.type === "radio") field.checked = values.includes(field.value);
        else if (field.type !== "hidden") field.value = values[0] ?? "";
      }
      for (const li of debts.children) {
        debtLine(li);
        li.querySelector("details").open = !debtFilled(li);
      }
      logChoices();
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
      if (field.type === "radio") return field.name === "reachable" && field.value === "yes";
      return field.dataset.empty ?? "";
    };
    confirmWipe(() => {
      localStorage.removeItem(KEY);
      // Every answer on this phone: the letters' forms keep theirs under keys of their own.
      Object.keys(localStorage).filter((k) => k.startsWith("letter-answers-")).forEach((k) => localStorage.removeItem(k));
      while (rows.children.length > 1) rows.lastElementChild.remove();
      while (debts.children.length > 1) debts.lastElementChild.remove();
      clearDebt(debts.firstElementChild);
      debts.querySelector("details").open = true;
      for (const field of form.elements) {
        if (field.type === "checkbox" || field.type === "radio") field.checked = emptyValue(field);
        else if (field.tagName === "SELECT") field.value = field.dataset.empty ?? field.options[0].value;
        else if (field.type !== "button" && field.type !== "submit") field.value = emptyValue(field);
      }
      for (const error of form.querySelectorAll(".field-error")) error.remove();
      debtLine(debts.firstElementChild);
      logChoices();
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

    const attention = $("error-summary") || form.querySelector(".rate-check");
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
