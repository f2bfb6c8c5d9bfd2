// よくある質問: each question is a <details> (closed at first). This script adds the buttons that open
// or close every answer, opens the question a link points to (#faq-…), and narrows the questions on
// this page as the visitor types, opening those that match. Without JavaScript each question still
// opens on its own, and the box is a normal form: the server does the filtering.
(function () {
  "use strict";
  var details = Array.prototype.slice.call(document.querySelectorAll(".faq-details"));
  var toggles = document.querySelector("[data-faq-toggle-all]");
  function setAll(open) {
    details.forEach(function (item) { item.open = open; });
  }
  if (toggles && details.length) {
    toggles.hidden = false;
    toggles.querySelector("[data-faq-open-all]").addEventListener("click", function () { setAll(true); });
    toggles.querySelector("[data-faq-close-all]").addEventListener("click", function () { setAll(false); });
  }
  // A link to one question (この質問へのリンク) opens it and brings it into view.
  function openLinked() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    var item = target && target.querySelector(".faq-details");
    if (item) {
      item.open = true;
      target.scrollIntoView();
    }
  }
  window.addEventListener("hashchange", openLinked);
  openLinked();
  // Once everything has loaded, again: the browser's own jump to the #fragment and any late layout (fonts,
  // images) can land after the first call and leave the opened question below the screen.
  window.addEventListener("load", openLinked);
}());

(function () {
  "use strict";
  var form = document.querySelector("[data-faq-filter]");
  if (!form) { return; }
  var input = form.querySelector("input[name=q]");
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-faq-item]"));
  var categories = document.querySelectorAll("[data-faq-category]");
  var status = document.querySelector("[data-faq-count]");
  var empty = document.querySelector("[data-faq-empty]");
  if (!input || !items.length) { return; }

  // Match カタカナ and ひらがな alike, and full-width and half-width forms alike.
  function normalize(text) {
    return text.normalize("NFKC").toLowerCase().replace(/[\u30a1-\u30f6]/g, function (ch) {
      return String.fromCharCode(ch.charCodeAt(0) - 0x60);
    });
  }
  var texts = items.map(function (item) { return normalize(item.textContent); });
  var initialStatus = status ? status.textContent : "";

  function apply() {
    var words = normalize(input.value).split(/\s+/).filter(Boolean);
    var shown = 0;
    items.forEach(function (item, i) {
      var match = words.every(function (word) { return texts[i].indexOf(word) !== -1; });
      item.hidden = !match;
      if (match) {
        shown += 1;
        if (words.length) { item.querySelector(".faq-details").open = true; }
      }
    });
    Array.prototype.forEach.call(categories, function (section) {
      section.hidden = !section.querySelector("[data-faq-item]:not([hidden])");
    });
    if (empty) { empty.hidden = shown !== 0; }
    if (status) {
      status.textContent = words.length ? "このページで「" + input.value.trim() + "」を含む質問: " + shown + " 件" : initialStatus;
    }
  }
  input.addEventListener("input", apply);
}());
