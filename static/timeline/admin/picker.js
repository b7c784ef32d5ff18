/*
 * The item page's editing aids (no dependencies):
 *
 * 1. Date: the EDTF box and the year / month / day / approximate boxes stay in step, and the parsed
 *    bounds and labels are shown back as you type.
 * 2. Passage picker: choose a source, select the supporting words in a passage (mouse, or Shift +
 *    arrow keys in the focused passage), press "Cite selection" (or Enter). A new citation row gets
 *    the passage and the code-point offsets in hidden fields; the server recomputes the cited text,
 *    prefix and suffix from the passage and checks the span.
 *
 * Browsers index strings in UTF-16 code units, the server in code points (W3C TextPositionSelector):
 * a character outside the Basic Multilingual Plane (𠀋, emoji) is two units but one code point, so
 * offsets are converted with Array.from(text.slice(0, utf16Offset)).length.
 */
"use strict";
(function () {
  function codePoints(text, utf16Offset) {
    return Array.from(text.slice(0, utf16Offset)).length;
  }

  // --- date ---------------------------------------------------------------------------------------

  const SINGLE_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?([~?%])?$/;

  function dateFields() {
    const get = (name) => document.getElementById("id_" + name);
    return {
      edtf: get("date_edtf"),
      year: get("date_year"),
      month: get("date_month"),
      day: get("date_day"),
      approximate: get("date_is_approximate"),
    };
  }

  function pickedEdtf(fields) {
    const year = fields.year.value.trim();
    if (!/^\d{4}$/.test(year)) return null;
    let text = year;
    const month = fields.month.value;
    const day = fields.day.value.trim();
    if (month) {
      text += "-" + String(month).padStart(2, "0");
      if (/^\d{1,2}$/.test(day)) text += "-" + day.padStart(2, "0");
    }
    return text + (fields.approximate.checked ? "~" : "");
  }

  function showPickedDate(fields, edtf) {
    const match = SINGLE_DATE.exec(edtf.trim());
    fields.year.value = match ? match[1] : "";
    fields.month.value = match && match[2] ? String(Number(match[2])) : "";
    fields.day.value = match && match[3] ? String(Number(match[3])) : "";
    fields.approximate.checked = Boolean(match && (match[4] === "~" || match[4] === "%"));
  }

  function initDate() {
    const fields = dateFields();
    if (!fields.edtf || !fields.year) return null;
    const editor = document.getElementById("item-editor");
    const previewUrl = editor && editor.dataset.parseDateUrl;
    const preview = document.createElement("p");
    preview.className = "date-preview";
    preview.id = "date-preview";
    preview.setAttribute("aria-live", "polite");
    fields.edtf.insertAdjacentElement("afterend", preview);
    fields.edtf.setAttribute("aria-describedby", [fields.edtf.getAttribute("aria-describedby"), preview.id]
      .filter(Boolean).join(" "));

    let timer = null;
    function refreshPreview() {
      clearTimeout(timer);
      const value = fields.edtf.value.trim();
      if (!value || !previewUrl) {
        preview.textContent = "";
        return;
      }
      timer = setTimeout(async function () {
        const response = await fetch(previewUrl + "?edtf=" + encodeURIComponent(value), {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        });
        if (!response.ok) return;
        const data = await response.json();
        if (fields.edtf.value.trim() !== value) return; // typed on meanwhile
        preview.classList.toggle("date-preview-error", !data.ok);
        preview.textContent = data.ok
          ? `${data.label.en} · ${data.label.zh} — from ${data.start} to ${data.end} (${data.precision}` +
            `${data.approximate ? ", approximate" : ""})`
          : data.error;
      }, 250);
    }

    fields.edtf.addEventListener("input", function () {
      showPickedDate(fields, fields.edtf.value);
      refreshPreview();
    });
    for (const name of ["year", "month", "day", "approximate"]) {
      fields[name].addEventListener(name === "year" || name === "day" ? "input" : "change", function () {
        const edtf = pickedEdtf(fields);
        if (edtf) {
          fields.edtf.value = edtf;
          refreshPreview();
        }
      });
    }
    refreshPreview();
    return function setDate(edtf) {
      fields.edtf.value = edtf;
      showPickedDate(fields, edtf);
      refreshPreview();
    };
  }

  // --- passage picker ----------------------------------------------------------------------------

  function initPicker(setDate) {
    const picker = document.getElementById("passage-picker");
    if (!picker) return;
    const prefix = picker.dataset.formsetPrefix;
    const sourceSelect = document.getElementById("picker-source");
    const filter = document.getElementById("picker-filter");
    const list = document.getElementById("picker-passages");
    const statusLine = document.getElementById("picker-status");
    let source = null;

    function say(message, isError) {
      statusLine.textContent = message;
      statusLine.classList.toggle("picker-status-error", Boolean(isError));
    }

    // Enter in the filter box must not submit the item form.
    filter.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();
    });
    filter.addEventListener("input", function () {
      const term = filter.value.trim().toLowerCase();
      let shown = 0;
      for (const item of list.children) {
        const match = !term || item.dataset.text.toLowerCase().includes(term);
        item.hidden = !match;
        if (match) shown += 1;
      }
      say(term ? `${shown} passage(s) contain “${filter.value.trim()}”.` : "");
    });

    sourceSelect.addEventListener("change", async function () {
      list.replaceChildren();
      filter.value = "";
      filter.disabled = true;
      source = null;
      if (!sourceSelect.value) return;
      say("Loading the passages…");
      const url = picker.dataset.passagesUrl.replace(/0\/$/, sourceSelect.value + "/");
      let response;
      try {
        response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      } catch (error) {
        say("Could not load the passages: " + error, true);
        return;
      }
      if (!response.ok) {
        say(`Could not load the passages (HTTP ${response.status}).`, true);
        return;
      }
      const data = await response.json();
      source = data.source;
      for (const passage of data.passages) list.append(renderPassage(passage));
      const sizedByCss = window.CSS && CSS.supports("field-sizing", "content");
      for (const textarea of list.querySelectorAll("textarea")) {
        if (!sizedByCss) fitHeight(textarea);
        textarea.setSelectionRange(0, 0); // a keyboard user starts reading at the beginning
      }
      filter.disabled = false;
      const reference = source.reference_date === source.published || !source.published
        ? `reference date ${source.reference_date}`
        : `published ${source.published}, reference date ${source.reference_date}`;
      say(`${data.passages.length} passages of “${source.title}” (${reference}).`);
    });

    function fitHeight(textarea) {
      textarea.style.height = "auto";
      textarea.style.height = textarea.scrollHeight + 2 + "px";
    }

    function renderPassage(passage) {
      const item = document.createElement("li");
      item.className = "picker-passage";
      item.dataset.passageId = passage.id;
      item.dataset.text = passage.text;

      const head = document.createElement("div");
      head.className = "picker-passage-head";
      head.textContent = `¶${passage.ordinal}` + (passage.cited_by ? ` · cited by ${passage.cited_by}` : "");

      // Not `readonly`: Chromium gives a read-only textarea no caret, so Shift + arrow keys could not
      // select. The text is guarded instead: edits are cancelled, and undone if one slips through (IME).
      const textarea = document.createElement("textarea");
      textarea.className = "picker-text";
      textarea.rows = Math.max(2, Math.ceil(passage.text.length / 70));
      textarea.value = passage.text;
      textarea.spellcheck = false;
      textarea.setAttribute("aria-readonly", "true");
      textarea.setAttribute("aria-label", `Passage ¶${passage.ordinal} of ${source.key}`);
      textarea.addEventListener("beforeinput", function (event) {
        event.preventDefault();
      });
      textarea.addEventListener("input", function () {
        const start = textarea.selectionStart;
        textarea.value = passage.text;
        textarea.setSelectionRange(start, start);
      });
      textarea.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey) {
          event.preventDefault();
          cite(passage, textarea);
        }
      });

      const actions = document.createElement("div");
      actions.className = "picker-actions";
      const citeButton = document.createElement("button");
      citeButton.type = "button";
      citeButton.className = "button picker-cite";
      citeButton.textContent = `Cite selection in ¶${passage.ordinal}`;
      citeButton.addEventListener("click", function () {
        cite(passage, textarea);
      });
      actions.append(citeButton);
      for (const mention of passage.dates) {
        const dateButton = document.createElement("button");
        dateButton.type = "button";
        dateButton.className = "button picker-date";
        dateButton.dataset.edtf = mention.edtf;
        dateButton.textContent = `Use date “${mention.text}” → ${mention.label_en} (${mention.edtf})`;
        dateButton.addEventListener("click", function () {
          if (!setDate) {
            say("This page has no date field.", true);
            return;
          }
          setDate(mention.edtf);
          say(`Date set to ${mention.edtf} (${mention.label_en}) from “${mention.text}” in ¶${passage.ordinal}.`);
        });
        actions.append(dateButton);
      }
      item.append(head, textarea, actions);
      return item;
    }

    function addCitationRow() {
      const group = document.getElementById(prefix + "-group");
      const addLink = group && group.querySelector(".add-row a");
      if (!addLink) return null;
      addLink.click();
      const rows = group.querySelectorAll("tr.dynamic-" + prefix + ", div.dynamic-" + prefix);
      return rows.length ? rows[rows.length - 1] : null;
    }

    function fill(row, name, value) {
      const input = row.querySelector(`input[name$="-${name}"]`);
      if (input) input.value = value;
      return Boolean(input);
    }

    function show(row, name, text) {
      const cell = row.querySelector(".field-" + name + " p");
      if (cell) cell.textContent = text;
    }

    function cite(passage, textarea) {
      const text = textarea.value;
      let start16 = textarea.selectionStart;
      let end16 = textarea.selectionEnd;
      // Leave white space at the edges out of the citation.
      while (start16 < end16 && /\s/.test(text[start16])) start16 += 1;
      while (end16 > start16 && /\s/.test(text[end16 - 1])) end16 -= 1;
      if (start16 >= end16) {
        say(`Select the supporting words in ¶${passage.ordinal} first.`, true);
        textarea.focus();
        return;
      }
      const start = codePoints(text, start16);
      const end = codePoints(text, end16);
      const exact = text.slice(start16, end16);
      if (Array.from(passage.text).slice(start, end).join("") !== exact) {
        say("The selection could not be mapped onto the passage; select the words again.", true);
        return;
      }
      const row = addCitationRow();
      if (!row || !fill(row, "passage", passage.id)) {
        say("Citations cannot be added on this page.", true);
        return;
      }
      fill(row, "start", start);
      fill(row, "end", end);
      show(row, "where", `${source.key} ¶${passage.ordinal}`);
      show(row, "cited_text", exact);
      show(row, "offsets", `${start}–${end}`);
      row.classList.add("picker-new-citation");
      say(`New citation of ¶${passage.ordinal}, code points ${start}–${end}: “${exact}”. Save the item to keep it.`);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    const setDate = initDate();
    initPicker(setDate);
  });
})();
