// 事務局の書類: the draft is saved on the server a second or two after typing stops (the form works without
// this script: 「下書きを保存」 does the same). When the sign-in has expired, what was typed since the last save
// is kept in this browser and put back when the page is opened again after signing in.
(function () {
  "use strict";
  var WAIT = 1500;

  function start() {
    var form = document.getElementById("office-form");
    if (!form || !form.dataset.draftUrl || !window.fetch) { return; }
    var status = document.getElementById("draft-status");
    var key = "office-draft:" + window.location.pathname;
    var timer = null;
    var saving = false;
    var again = false;

    function say(text) { if (status) { status.textContent = text; } }

    function entries() {
      var kept = {};
      new FormData(form).forEach(function (value, name) {
        if (name !== "csrfmiddlewaretoken" && typeof value === "string") { kept[name] = value; }
      });
      return kept;
    }

    function keepLocally() {
      try { window.localStorage.setItem(key, JSON.stringify(entries())); } catch (e) { /* storage full or off */ }
    }

    function save() {
      timer = null;
      if (saving) { again = true; return; }
      saving = true;
      var body = new FormData(form);
      body.delete("action");
      fetch(form.dataset.draftUrl, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-Office-Draft": "1", "Accept": "application/json" },
        redirect: "manual"
      }).then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") === -1) {
          throw new Error(response.status === 403
            ? "ログインの有効期限が切れたか、ページが古くなっています。もう一度ログインしてください。入力中の内容はこの端末に残してあり、ログイン後にこのページを開くと戻ります。"
            : "保存できませんでした。通信の状態を確かめてください。入力中の内容はこの端末に残してあります。");
        }
        return response.json().then(function (answer) {
          if (!answer.saved) { throw new Error(answer.message); }
          try { window.localStorage.removeItem(key); } catch (e) { /* nothing kept */ }
          say(answer.message);
        });
      }).catch(function (error) {
        keepLocally();
        say(error && error.message ? error.message : "保存できませんでした。入力中の内容はこの端末に残してあります。");
      }).then(function () {
        saving = false;
        if (again) { again = false; save(); }
      });
    }

    function typed() {
      if (timer) { window.clearTimeout(timer); }
      timer = window.setTimeout(save, WAIT);
    }

    // What was typed while signed out comes back after signing in, and is saved at once.
    var stored = null;
    try { stored = JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { stored = null; }
    if (stored) {
      Object.keys(stored).forEach(function (name) {
        var field = form.elements[name];
        if (field && "value" in field && field.type !== "hidden") { field.value = stored[name]; }
      });
      say("ログインの前に入力した内容を戻しました。保存しています…");
      save();
    }

    form.addEventListener("input", typed);
    form.addEventListener("change", typed);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
