// The word-check panel: run the check without saving, find a hit in the text (plain fields
// and the ProseMirror editor alike), and replace it with the suggestion in one click.
"use strict";
(function () {
  const panel = document.getElementById("wordcheck-panel");
  if (!panel) return;
  const labels = document.getElementById("wordcheck-labels").dataset;
  // The admin's change form is <form id="article_form"> (model name + _form).
  const form = document.querySelector("#content-main form[id$=_form]");
  const list = document.getElementById("wordcheck-hits");
  const status = document.getElementById("wordcheck-status");

  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // The input of a hit's field: a field of the form, or a photo caption in an inline.
  function fieldElement(key) {
    if (!form) return null;
    const photo = /^photo:(\d+):(caption|alt_text)$/.exec(key);
    if (photo) {
      const id = form.querySelector(`input[name$="-id"][value="${photo[1]}"]`);
      if (!id) return null;
      return form.elements[id.name.replace(/-id$/, "-" + photo[2])] || null;
    }
    return form.elements[key] || null;
  }

  // The Tiptap editor of a rich-text field: django-prose-editor puts it beside the (hidden)
  // textarea, and Tiptap keeps the editor object on its DOM node.
  function editorOf(element) {
    let wrapper = element;
    for (let depth = 0; wrapper && depth < 4; depth++) {
      const dom = wrapper.querySelector && wrapper.querySelector(".ProseMirror[contenteditable]");
      if (dom) return dom.editor || null;
      wrapper = wrapper.parentElement;
    }
    return null;
  }

  // The document's text with a position for each character; blocks end with a line break.
  function documentText(editor) {
    let text = "";
    const positions = [];
    editor.state.doc.descendants((node, pos) => {
      if (node.isText) {
        for (let i = 0; i < node.text.length; i++) positions.push(pos + i);
        text += node.text;
      } else if (node.isBlock && text && !text.endsWith("\n")) {
        text += "\n";
        positions.push(-1);
      }
      return true;
    });
    return { text, positions };
  }

  function nthIndex(text, needle, n) {
    let index = -1;
    for (let i = 0; i <= n; i++) {
      index = text.indexOf(needle, index + 1);
      if (index < 0) return -1;
    }
    return index;
  }

  // [from, to] of the hit now: in the editor's document, or in a plain field's value.
  function locate(item) {
    const data = item.dataset;
    const element = fieldElement(data.field);
    if (!element) return null;
    const editor = editorOf(element);
    if (editor) {
      const { text, positions } = documentText(editor);
      const at = nthIndex(text, data.matched, Number(data.occurrence));
      if (at < 0) return null;
      const end = at + data.matched.length - 1;
      return { editor, from: positions[at], to: positions[end] + 1 };
    }
    let start = Number(data.start);
    let end = Number(data.end);
    if (element.value.slice(start, end) !== data.matched) {
      start = nthIndex(element.value, data.matched, Number(data.occurrence));
      if (start < 0) return null;
      end = start + data.matched.length;
    }
    return { element, from: start, to: end };
  }

  function find(item) {
    const place = locate(item);
    if (!place) {
      status.textContent = labels.notFound;
      return null;
    }
    if (place.editor) {
      place.editor.chain().focus().setTextSelection({ from: place.from, to: place.to }).scrollIntoView().run();
    } else {
      place.element.focus();
      place.element.setSelectionRange(place.from, place.to);
    }
    return place;
  }

  function replace(item) {
    const place = find(item);
    if (!place) return;
    const suggestion = item.dataset.suggestion;
    if (place.editor) {
      const view = place.editor.view;
      view.dispatch(view.state.tr.insertText(suggestion, place.from, place.to));
    } else {
      place.element.setRangeText(suggestion, place.from, place.to, "select");
      place.element.dispatchEvent(new Event("input", { bubbles: true }));
    }
    runCheck();
  }

  function render(hits) {
    list.replaceChildren();
    for (const hit of hits) {
      const item = document.createElement("li");
      item.className = `wordcheck-hit wordcheck-${hit.category}`;
      Object.assign(item.dataset, {
        field: hit.field, start: hit.start, end: hit.end, textStart: hit.text_start,
        occurrence: hit.occurrence, matched: hit.matched, suggestion: hit.suggestion,
      });
      const category = document.createElement("span");
      category.className = "wordcheck-category";
      category.textContent = hit.category_label;
      const field = document.createElement("span");
      field.className = "wordcheck-field";
      field.textContent = hit.label + ": ";
      const context = document.createElement("span");
      context.className = "wordcheck-context";
      const mark = document.createElement("mark");
      mark.textContent = hit.matched;
      context.append("…" + hit.before, mark, hit.after + "…");
      item.append(category, " ", field, context, " ");
      if (hit.note) {
        const note = document.createElement("span");
        note.className = "wordcheck-note";
        note.textContent = hit.note;
        item.append(note, " ");
      }
      const findButton = document.createElement("button");
      findButton.type = "button";
      findButton.className = "button wordcheck-find";
      findButton.textContent = labels.find;
      item.append(findButton);
      if (hit.suggestion) {
        const replaceButton = document.createElement("button");
        replaceButton.type = "button";
        replaceButton.className = "button wordcheck-replace";
        replaceButton.textContent = labels.replace.replace("%s", hit.suggestion);
        item.append(" ", replaceButton);
      }
      list.append(item);
    }
    document.getElementById("wordcheck-count").textContent = labels.count.replace("%s", hits.length);
    panel.dataset.count = hits.length;
  }

  async function runCheck() {
    if (!form) return;
    status.textContent = labels.checking;
    const body = new FormData();
    for (const element of form.elements) {
      if (element.name && (element.tagName === "TEXTAREA" || element.type === "text")) {
        body.append(element.name, element.value);
      }
    }
    try {
      const response = await fetch(panel.dataset.checkUrl, {
        method: "POST",
        body,
        headers: { "X-CSRFToken": csrfToken() },
        credentials: "same-origin",
      });
      const data = await response.json();
      if (!response.ok) throw new Error(data.error || response.statusText);
      render(data.hits);
      status.textContent = data.count ? "" : labels.none;
    } catch (error) {
      status.textContent = `${labels.failed} (${error.message})`;
    }
  }

  document.getElementById("wordcheck-run").addEventListener("click", runCheck);
  list.addEventListener("click", (event) => {
    const item = event.target.closest(".wordcheck-hit");
    if (!item) return;
    if (event.target.classList.contains("wordcheck-find")) find(item);
    if (event.target.classList.contains("wordcheck-replace")) replace(item);
  });
})();
