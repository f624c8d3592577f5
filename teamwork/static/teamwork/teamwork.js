// The change form's presence heartbeat and @mention autocomplete. Without it, the page still
// works: comments post as plain forms, and the optimistic lock still refuses a stale save.
(function () {
  "use strict";
  var panel = document.getElementById("teamwork");
  if (!panel) return;
  var openedAt = Date.now() / 1000;
  var loaded = Number(panel.dataset.editVersion);
  var savedMeanwhile = false;
  var csrf = (panel.querySelector("input[name=csrfmiddlewaretoken]") || {}).value || "";

  function beat() {
    var body = new URLSearchParams({ since: String(openedAt) });
    fetch(panel.dataset.presenceUrl, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "Accept": "application/json" },
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (data) {
      if (!data) return;
      var others = document.getElementById("teamwork-others");
      if (data.others.length) {
        others.textContent = panel.dataset.alsoHere.replace("{names}", data.others.map(function (o) { return o.name; }).join(", "));
        others.hidden = false;
      } else {
        others.hidden = true;
      }
      if (data.edit_version !== loaded) {
        savedMeanwhile = true;
        document.getElementById("teamwork-saved-meanwhile").hidden = false;
      }
      if (data.taken_over) {
        var banner = document.getElementById("teamwork-taken-over");
        banner.textContent = panel.dataset.takenOver.replace("{name}", data.taken_over.by) +
          (data.taken_over.note ? " — " + data.taken_over.note : "");
        banner.hidden = false;
      }
      window.setTimeout(beat, (data.heartbeat || 10) * 1000);
    }).catch(function () { window.setTimeout(beat, 15000); });
  }
  beat();

  // Say so before a save that the server will refuse anyway.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (savedMeanwhile && form.id && form.id.slice(-5) === "_form") {
      if (!window.confirm(panel.dataset.confirmSave)) event.preventDefault();
    }
  });

  // @mentions: a list of matching colleagues under the text box; a click inserts @username.
  var timer = null;
  panel.querySelectorAll(".teamwork-mention-input").forEach(function (box) {
    var list = document.createElement("ul");
    list.className = "teamwork-mention-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    box.parentNode.appendChild(list);
    box.addEventListener("input", function () {
      var before = box.value.slice(0, box.selectionStart);
      var match = /(^|\s)@([^\s@]*)$/.exec(before);
      if (!match) { list.hidden = true; return; }
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        fetch(panel.dataset.mentionsUrl + "?q=" + encodeURIComponent(match[2]), { credentials: "same-origin" })
          .then(function (r) { return r.json(); }).then(function (data) {
            list.innerHTML = "";
            data.results.forEach(function (person) {
              var item = document.createElement("li");
              item.setAttribute("role", "option");
              item.tabIndex = 0;
              item.textContent = person.name + " (@" + person.username + ")";
              item.dataset.username = person.username;
              function pick() {
                var start = before.length - match[2].length;
                box.value = box.value.slice(0, start) + person.username + " " + box.value.slice(box.selectionStart);
                list.hidden = true;
                box.focus();
              }
              item.addEventListener("click", pick);
              item.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); pick(); } });
              list.appendChild(item);
            });
            list.hidden = !data.results.length;
          });
      }, 150);
    });
  });
})();
