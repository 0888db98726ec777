/* Fupan: small enhancements on top of pages that work without JavaScript. No inline script
   anywhere (the Content-Security-Policy forbids it); everything hooks in through data- attributes. */
(function () {
  "use strict";

  function toast(text) {
    var el = document.getElementById("toast");
    if (!el) return;
    el.textContent = text;
    el.hidden = false;
    clearTimeout(el._timer);
    el._timer = setTimeout(function () { el.hidden = true; }, 2200);
  }

  function copyText(text, done) {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(text, done); });
    } else {
      fallbackCopy(text, done);
    }
  }

  function fallbackCopy(text, done) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    if (ok) done(); else window.prompt(document.documentElement.lang === "en" ? "Copy:" : "请复制：", text);
  }

  var zh = (document.documentElement.lang || "").indexOf("zh") === 0;

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;

    var thread = target.closest("[data-copy-thread]");
    if (thread) {
      // Discuz's copyThreadUrl: subject, URL and (出处: 站名), one per line.
      event.preventDefault();
      var text = thread.getAttribute("data-title") + "\n" + thread.href + "\n" +
        (zh ? "(出处: " : "(Source: ") + thread.getAttribute("data-site") + ")\n";
      copyText(text, function () { toast(zh ? "帖子地址已经复制到剪贴板" : "Thread address copied"); });
      return;
    }
    var floor = target.closest("[data-copy-url]");
    if (floor) {
      event.preventDefault();
      copyText(floor.href, function () { toast(zh ? "帖子地址复制成功" : "Post address copied"); });
      return;
    }
    var dismiss = target.closest("[data-dismiss]");
    if (dismiss) {
      var box = dismiss.closest("[data-dismissable]");
      if (box) box.hidden = true;
      return;
    }
    var tool = target.closest(".toolbar button");
    if (tool) {
      var area = tool.closest(".field").querySelector("textarea");
      if (area) insertCode(area, tool.getAttribute("data-tag"), tool.getAttribute("data-arg"), tool.getAttribute("data-insert"));
    }
  });

  function insertCode(area, tag, arg, literal) {
    var start = area.selectionStart, end = area.selectionEnd, value = area.value;
    var selected = value.slice(start, end);
    var text;
    if (literal) {
      text = literal;
    } else if (tag === "list") {
      text = "[list]\n[*]" + (selected || "") + "\n[/list]";
    } else {
      text = "[" + tag + (arg ? "=" + arg : "") + "]" + selected + "[/" + tag + "]";
    }
    area.value = value.slice(0, start) + text + value.slice(end);
    var caret = literal || selected ? start + text.length : start + tag.length + (arg ? arg.length + 1 : 0) + 2;
    area.focus();
    area.setSelectionRange(caret, caret);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".toolbar[hidden]").forEach(function (bar) { bar.hidden = false; });
    // Close an open view menu when clicking elsewhere.
    document.addEventListener("click", function (event) {
      document.querySelectorAll("details.view-menu[open]").forEach(function (menu) {
        if (!menu.contains(event.target)) menu.open = false;
      });
    });
  });
})();
