/* Newsroom's public pages: small progressive enhancements. Everything works without this file.
 *
 * - A gallery page opens its photos in a modal viewer (a native <dialog>: focus moves in,
 *   stays in, and Escape closes it); the arrow keys go from photo to photo; on closing,
 *   focus returns to the thumbnail of the photo last shown. Without JavaScript each
 *   thumbnail is a link to the photo's own page.
 * - A photo's own page follows its previous/next links on the arrow keys.
 */
(function () {
  "use strict";

  function typing(event) {
    var target = event.target;
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  function arrow(event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || typing(event)) return 0;
    if (event.key === "ArrowLeft") return -1;
    if (event.key === "ArrowRight") return 1;
    return 0;
  }

  // --- a photo's own page -------------------------------------------------
  var photoPage = document.querySelector("[data-photo-page]");
  if (photoPage) {
    document.addEventListener("keydown", function (event) {
      var step = arrow(event);
      var link = step && photoPage.querySelector(step < 0 ? 'a[rel="prev"]' : 'a[rel="next"]');
      if (link) {
        event.preventDefault();
        window.location.assign(link.href);
      }
    });
  }

  // --- the gallery viewer -------------------------------------------------
  var grid = document.querySelector("[data-viewer]");
  var template = document.getElementById("viewer-template");
  if (!grid || !template || typeof HTMLDialogElement !== "function") return;

  var links = Array.prototype.slice.call(grid.querySelectorAll("a.photo-link"));
  if (!links.length) return;
  var dialog = template.content.firstElementChild.cloneNode(true);
  document.body.appendChild(dialog);
  var imageBox = dialog.querySelector(".viewer-image");
  var caption = dialog.querySelector(".viewer-caption");
  var count = dialog.querySelector(".viewer-count");
  var permalink = dialog.querySelector(".viewer-permalink");
  dialog.querySelector(".viewer-gallery").textContent = grid.getAttribute("data-gallery-title") || "";
  var current = 0;

  function show(index) {
    current = (index + links.length) % links.length;
    var link = links[current];
    var picture = link.querySelector("picture, img");
    if (picture) {
      var large = picture.cloneNode(true);
      var images = large.tagName === "IMG" ? [large] : large.querySelectorAll("source, img");
      Array.prototype.forEach.call(images, function (node) {
        node.setAttribute("sizes", "100vw");
        node.removeAttribute("loading");
      });
      imageBox.replaceChildren(large);
    }
    var figcaption = link.closest("figure").querySelector("figcaption");
    caption.replaceChildren.apply(
      caption,
      figcaption ? Array.prototype.map.call(figcaption.childNodes, function (n) { return n.cloneNode(true); }) : []
    );
    count.textContent = (current + 1) + " / " + links.length;
    permalink.href = link.href;
  }

  grid.addEventListener("click", function (event) {
    var link = event.target.closest("a.photo-link");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    show(links.indexOf(link));
    dialog.showModal();
  });

  dialog.addEventListener("click", function (event) {
    var action = event.target.closest("[data-action]");
    if (action) {
      var name = action.getAttribute("data-action");
      if (name === "close") dialog.close();
      else show(current + (name === "next" ? 1 : -1));
    } else if (event.target === dialog) {
      dialog.close(); // a click on the backdrop
    }
  });

  dialog.addEventListener("keydown", function (event) {
    var step = arrow(event);
    if (step) {
      event.preventDefault();
      show(current + step);
    }
  });

  dialog.addEventListener("close", function () {
    var link = links[current];
    link.focus();
    link.scrollIntoView({ block: "nearest" });
  });
})();
