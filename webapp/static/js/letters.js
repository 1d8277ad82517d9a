// The letters' forms and pages, with JavaScript. On a form: answers are saved on this device as they are typed
// (localStorage, sent nowhere until the reader asks for the letter), restored on return, and on a first visit
// filled in from the answers the reader saved on the situation form ("situation-answers"); offline, sending waits
// and says so. A form opened from the summary for one of several debts (?debt=<i>, and for the repayment proposal
// ?monthly=<its offer>) is filled for that debt: its lender and type from the saved answers (never from the URL),
// only its rows of the contact log, and kept under a key of its own. On a letter: "copy" puts its plain text on
// the clipboard, "download PDF" fetches the file without leaving the page. Without JavaScript both work as plain
// forms. Every visible text is in the page, translated.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const form = $("letter-form");
  if (form) letterForm(form);
  if ($("letter")) letterPage();

  function letterForm(form) {
    // ?debt=<i>: the letter is for debt i of the several the situation form saved (0-based, as in the summary).
    const query = new URLSearchParams(location.search);
    // As the server reads the query (situation/letters/forms.py, for_debt): anything else is the plain form.
    const debtArg = query.get("debt") || "";
    const debt = /^[0-9]{1,2}$/.test(debtArg) && Number(debtArg) < 20 ? Number(debtArg) : null;
    const KEY = `letter-answers-${form.dataset.kind}${debt === null ? "" : `-debt-${debt}`}`;
    const rows = $("log-rows");

    const renumber = () => {
      [...rows.children].forEach((item, index) => {
        for (const field of item.querySelectorAll("[name^='contact_log-']")) {
          field.name = field.name.replace(/^contact_log-\d+-/, `contact_log-${index}-`);
        }
      });
    };
    const addRow = () => {
      const row = rows.lastElementChild.cloneNode(true);
      for (const field of row.querySelectorAll("input")) field.value = "";
      for (const error of row.querySelectorAll(".field-error")) error.remove();
      rows.append(row);
      renumber();
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

    // The saved situation's debt i, as the situation form saves several debts: fields `debts-<n>-<field>`,
    // the debts in the order of n, a block without a lender not counted (the server does not count it either);
    // each log row's debt in `contact_log-<n>-debt`. One-debt answers are debt 0. null: no such debt saved.
    const savedDebt = (saved, index) => {
      const blocks = {};
      for (const [name, values] of Object.entries(saved)) {
        const match = /^debts-(\d+)-(\w+)$/.exec(name);
        if (match) (blocks[match[1]] ||= {})[match[2]] = (values[0] || "").trim();
      }
      const debts = Object.keys(blocks)
        .sort((a, b) => a - b)
        .map((n) => blocks[n])
        .filter((block) => block.lender);
      if (!debts.length) {
        return index === 0 ? { lender: (saved.platform || [])[0] || "", lender_type: (saved.lender_type || [])[0] } : null;
      }
      return debts[index] || null;
    };

    // The log rows to copy: all of them, or with ?debt only those saved as about that debt (renumbered from 0).
    // Rows naming another debt, or none, are left out: a complaint about one lender quotes only its own contacts.
    const logRowsFrom = (saved) => {
      const byRow = {};
      for (const [name, values] of Object.entries(saved)) {
        const match = /^contact_log-(\d+)-(\w+)$/.exec(name);
        if (match) (byRow[match[1]] ||= {})[match[2]] = values;
      }
      const numbers = Object.keys(byRow).sort((a, b) => a - b);
      const kept = numbers.filter((n) => debt === null || (byRow[n].debt || [])[0] === String(debt));
      const data = {};
      kept.forEach((n, index) => {
        for (const part of ["date", "time", "channel", "note"]) {
          if (byRow[n][part]) data[`contact_log-${index}-${part}`] = byRow[n][part];
        }
      });
      const filled = (n) => ["date", "time", "note"].some((part) => ((byRow[n][part] || [])[0] || "").trim());
      return { data, left: numbers.filter(filled).length - kept.filter(filled).length };
    };

    // What the situation form saved, as this letter's answers: the platform as the lender, the contacts, the
    // contact log, what the reader can pay each month. With ?debt: that debt's lender and type, its log rows,
    // the offer the summary passed as ?monthly; the ticked contacts are the reader's, for all lenders, and are
    // left out (as the summary does for each debt). Only fields this form has are filled.
    const fromSituation = (saved) => {
      const one = (name) => (saved[name] || [])[0] || "";
      const data = {};
      if (debt === null) {
        // The situation form's first debt (saved as debts-0-*; a form of before #23 saved platform and lender_type).
        const lender = one("debts-0-lender") || one("platform");
        if (lender) data.lender = [lender];
        if ((one("debts-0-lender_type") || one("lender_type")) === "private") data.lender_kind = ["private"];
        if (one("monthly_payment") && one("monthly_payment") !== "0") data.monthly = [one("monthly_payment")];
      } else {
        const found = savedDebt(saved, debt);
        if (found?.lender) {
          data.lender = [found.lender];
          // licensed says no more than "unknown" does among our kinds (bank, consumer finance, small loan...).
          data.lender_kind = [found.lender_type === "private" ? "private" : "unknown"];
        }
      }
      const log = logRowsFrom(saved);
      Object.assign(data, log.data);
      // Who was contacted: the ticked contacts; for one debt, the ways of contact in its own log rows.
      const logged = Object.entries(log.data).filter(([name]) => name.endsWith("-channel")).map(([, v]) => v[0]);
      const channels = new Set(debt === null ? saved.contacts || [] : logged);
      if (debt === null) data.contacts = saved.contacts || [];
      const third = [];
      if (channels.has("call_contacts")) third.push("family", "friends");
      if (channels.has("call_employer") || channels.has("workplace_visit")) third.push("employer");
      data.third_parties = third;
      const filled = {};
      for (const [name, values] of Object.entries(data)) {
        const exists = [...form.elements].some((f) => f.name === name || (name.startsWith("contact_log-") && rows));
        if (exists && values.length) filled[name] = values;
      }
      return { filled, leftOut: rows ? log.left : 0 };
    };

    // The offer the summary computed for this debt (a number, not personal text: it may be in the URL).
    const offerArg = query.get("monthly") || "";
    const amount = /^[0-9]{1,8}(\.[0-9]{1,2})?$/.test(offerArg) ? Number(offerArg) : 0;
    const offer = amount > 0 && amount <= 10000000 ? offerArg : null;

    if (form.dataset.prefilled !== "true") {
      const own = read(KEY);
      const situation = read("situation-answers");
      if (own) {
        restore(own);
        // The page shows the offer's note when it filled in the offer: true only if the saved amount is that offer.
        const note = $("monthly-from-plan");
        if (note) note.hidden = !(offer && form.elements.monthly.value === offer);
      } else {
        const base = snapshot();
        let filled = {};
        if (situation) {
          const found = fromSituation(situation);
          filled = found.filled;
          if (Object.keys(filled).length) $("prefill-note").hidden = false;
          if (found.leftOut) $("log-left-out").hidden = false;
        }
        if (debt !== null) {
          // The page (offline: the saved copy of the plain form) names the first guide's platform: not this debt's.
          if (!filled.lender) base.lender = [""];
          if (offer && form.elements.monthly) {
            filled.monthly = [offer];
            $("monthly-from-plan").hidden = false;
          }
          if (rows) for (const name of Object.keys(base)) if (name.startsWith("contact_log-")) delete base[name];
        }
        restore({ ...base, ...filled });
      }
      if (debt !== null) $("debt-note").hidden = false;
    }
    form.addEventListener("input", save);
    form.addEventListener("change", save);

    // Clearing, only after the reader confirms: this form's saved copy goes, and the form is empty again.
    confirmWipe(() => {
      localStorage.removeItem(KEY);
      form.reset();
      if (debt !== null) form.elements.lender.value = "";
      if (rows) {
        while (rows.children.length > 1) rows.lastElementChild.remove();
        renumber();
      }
      for (const note of ["prefill-note", "log-left-out", "monthly-from-plan"]) if ($(note)) $(note).hidden = true;
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
