// 納付期限: the suggested deadline follows the request date it is computed from, as long as the clerk
// has not typed another one. The period and the closed weekdays (祝日, 年末年始) come from the server
// (data-period, data-closed-weekdays); 土日 are known here. Without JavaScript, the server computes the
// same deadline from the submitted request date when the suggestion was left as it was.
(function () {
  "use strict";
  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-follows][data-period]"), follows);
  }

  function follows(due) {
    var source = due.form && due.form.elements[due.dataset.follows];
    if (!source) { return; }
    var period = parseInt(due.dataset.period, 10);
    var closed = (due.dataset.closedWeekdays || "").split(" ");
    var suggested = due.value;

    function iso(day) {
      var month = String(day.getMonth() + 1).padStart(2, "0");
      return day.getFullYear() + "-" + month + "-" + String(day.getDate()).padStart(2, "0");
    }

    function deadline(value) {
      var parts = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(value.trim());
      if (!parts) { return ""; }
      var day = new Date(+parts[1], +parts[2] - 1, +parts[3] + period);
      while (day.getDay() === 0 || day.getDay() === 6 || closed.indexOf(iso(day)) !== -1) {
        day.setDate(day.getDate() + 1);
      }
      return iso(day);
    }

    function follow() {
      if (due.value !== suggested) { return; }  // the clerk typed their own deadline
      var next = deadline(source.value);
      if (next) {
        due.value = next;
        suggested = next;
      }
    }
    source.addEventListener("change", follow);
    source.addEventListener("input", follow);
  }

  // The form's media is loaded in the page's head, before the fields exist.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
