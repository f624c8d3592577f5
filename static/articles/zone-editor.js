// The zone editor of a print page (admin, templates/admin/articles/digital/page_change_form.html).
// The zones are the rows of the inline formset below the image (story, points as JSON); this
// draws them over the page image and lets an editor select, move, reshape (drag a corner) and
// add zones, writing the points back into each row's field. Without it the fields still work.
(function () {
  "use strict";
  const SVG = "http://www.w3.org/2000/svg";

  function rows() {
    return Array.from(document.querySelectorAll("textarea.zone-points")).filter(
      (field) => !field.name.includes("__prefix__")
    );
  }

  function parse(field) {
    try {
      const points = JSON.parse(field.value);
      return Array.isArray(points) ? points : [];
    } catch (error) {
      return [];
    }
  }

  function round(value) {
    return Math.round(Math.min(1, Math.max(0, value)) * 100000) / 100000;
  }

  function start(editor) {
    const svg = editor.querySelector("svg");
    const width = Number(editor.dataset.width);
    const height = Number(editor.dataset.height);
    let selected = null;
    let drag = null;

    function toPage(event) {
      const box = svg.getBoundingClientRect();
      return [(event.clientX - box.left) / box.width, (event.clientY - box.top) / box.height];
    }

    function draw() {
      svg.replaceChildren();
      rows().forEach((field, index) => {
        const row = field.closest("tr");
        const deleted = row && row.querySelector("input[type=checkbox][name$='-DELETE']");
        if (deleted && deleted.checked) return;
        const points = parse(field);
        if (points.length < 3) return;
        const polygon = document.createElementNS(SVG, "polygon");
        polygon.setAttribute("points", points.map(([x, y]) => `${x * width},${y * height}`).join(" "));
        polygon.setAttribute("class", "zone" + (index === selected ? " zone-selected" : ""));
        polygon.dataset.index = index;
        svg.appendChild(polygon);
        if (index === selected) {
          points.forEach(([x, y], corner) => {
            const handle = document.createElementNS(SVG, "circle");
            handle.setAttribute("cx", x * width);
            handle.setAttribute("cy", y * height);
            handle.setAttribute("r", Math.max(6, width / 150));
            handle.setAttribute("class", "zone-handle");
            handle.dataset.corner = corner;
            svg.appendChild(handle);
          });
        }
      });
    }

    function select(index) {
      selected = index;
      rows().forEach((field, i) => field.closest("tr")?.classList.toggle("zone-row-selected", i === index));
      draw();
    }

    svg.addEventListener("pointerdown", (event) => {
      const target = event.target;
      if (target.classList.contains("zone-handle")) {
        drag = { corner: Number(target.dataset.corner), from: toPage(event) };
      } else if (target.dataset.index !== undefined) {
        select(Number(target.dataset.index));
        drag = { corner: null, from: toPage(event) };
      } else {
        select(null);
        return;
      }
      svg.setPointerCapture(event.pointerId);
      event.preventDefault();
    });
    svg.addEventListener("pointermove", (event) => {
      if (!drag || selected === null) return;
      const field = rows()[selected];
      const points = parse(field);
      const [x, y] = toPage(event);
      if (drag.corner !== null) {
        points[drag.corner] = [round(x), round(y)];
      } else {
        const [dx, dy] = [x - drag.from[0], y - drag.from[1]];
        points.forEach((point, i) => (points[i] = [round(point[0] + dx), round(point[1] + dy)]));
        drag.from = [x, y];
      }
      field.value = JSON.stringify(points);
      field.dispatchEvent(new Event("change", { bubbles: true }));
      draw();
    });
    svg.addEventListener("pointerup", () => (drag = null));

    const add = document.querySelector(".zone-editor-add");
    if (add) {
      add.hidden = false;
      add.addEventListener("click", () => {
        const link = document.querySelector(".add-row a");
        if (!link) return;
        link.click(); // Django's inline formset adds the row
        const fields = rows();
        const field = fields[fields.length - 1];
        field.value = JSON.stringify([[0.4, 0.4], [0.6, 0.4], [0.6, 0.5], [0.4, 0.5]]);
        select(fields.length - 1);
      });
    }
    document.addEventListener("change", (event) => {
      if (event.target.matches("textarea.zone-points, input[name$='-DELETE']")) draw();
    });
    document.addEventListener("focusin", (event) => {
      if (event.target.matches("textarea.zone-points")) select(rows().indexOf(event.target));
    });
    draw();
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll(".zone-editor").forEach(start);
  });
})();
