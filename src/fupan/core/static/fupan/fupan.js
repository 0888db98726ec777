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
    var tool = target.closest(".toolbar button, .upload-list [data-insert]");
    if (tool) {
      var form = tool.closest("form");
      var area = form && form.querySelector("textarea[name=body]");
      if (area) insertCode(area, tool.getAttribute("data-tag"), tool.getAttribute("data-arg"), tool.getAttribute("data-insert"));
      return;
    }
    var zoom = target.closest("a[data-lightbox]");
    if (zoom && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
      event.preventDefault();
      openLightbox(zoom.href, (zoom.querySelector("img") || {}).alt || "");
    }
  });

  /* Lightbox: members see a full-size image over the page; Esc, a click or the button closes it. */
  function openLightbox(src, alt) {
    var box = document.createElement("div");
    box.className = "lightbox";
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-modal", "true");
    var img = document.createElement("img");
    img.src = src;
    img.alt = alt;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "lightbox-close";
    close.setAttribute("aria-label", zh ? "关闭" : "Close");
    close.textContent = "×";
    box.appendChild(img);
    box.appendChild(close);
    function shut() { box.remove(); document.removeEventListener("keydown", onKey); }
    function onKey(e) { if (e.key === "Escape") shut(); }
    box.addEventListener("click", shut);
    document.addEventListener("keydown", onKey);
    document.body.appendChild(box);
    close.focus();
  }

  /* Uploads: the file picker, drag-and-drop and pasted images go up at once; the editor gets
     [attach]N[/attach] at the cursor. Without JavaScript the files go with the form instead. */
  function uploadFiles(form, files) {
    var list = form.querySelector(".upload-list");
    var errorBox = form.querySelector(".upload-error");
    var area = form.querySelector("textarea[name=body]");
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    Array.prototype.forEach.call(files, function (file) {
      var data = new FormData();
      data.append("file", file);
      data.append("board", form.getAttribute("data-board"));
      var item = document.createElement("li");
      item.textContent = file.name + (zh ? " 上传中…" : " uploading…");
      list.appendChild(item);
      fetch(form.getAttribute("data-upload-url"), {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.value : "" }
      }).then(function (response) {
        return response.json().then(function (json) { return { ok: response.ok, json: json }; });
      }).then(function (result) {
        if (!result.ok) throw new Error(result.json.error || "upload failed");
        var a = result.json;
        item.textContent = "";
        item.setAttribute("data-aid", a.id);
        var hidden = document.createElement("input");
        hidden.type = "hidden"; hidden.name = "attachments"; hidden.value = a.id;
        item.appendChild(hidden);
        if (a.thumb) {
          var img = document.createElement("img");
          img.src = a.thumb; img.alt = ""; img.width = 48; img.height = 48;
          item.appendChild(img);
        }
        var name = document.createElement("span");
        name.textContent = " " + a.filename + " ";
        item.appendChild(name);
        var insert = document.createElement("button");
        insert.type = "button"; insert.className = "linkish"; insert.setAttribute("data-insert", a.code);
        insert.textContent = zh ? "插入到正文" : "Insert into the text";
        item.appendChild(insert);
        if (area) insertCode(area, null, null, a.code + "\n");
        if (errorBox) errorBox.hidden = true;
      }).catch(function (error) {
        item.remove();
        if (errorBox) { errorBox.textContent = file.name + ": " + error.message; errorBox.hidden = false; }
      });
    });
  }

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

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input instanceof HTMLInputElement && input.hasAttribute("data-upload-input") && input.files.length) {
      uploadFiles(input.form, input.files);
      input.value = "";  // uploaded already: do not send them again with the form
    }
  });
  document.addEventListener("dragover", function (event) {
    if (event.target instanceof Element && event.target.closest("[data-dropzone]")) event.preventDefault();
  });
  document.addEventListener("drop", function (event) {
    var zone = event.target instanceof Element && event.target.closest("[data-dropzone]");
    if (zone && event.dataTransfer && event.dataTransfer.files.length && zone.form.querySelector("[data-upload-input]")) {
      event.preventDefault();
      uploadFiles(zone.form, event.dataTransfer.files);
    }
  });
  document.addEventListener("paste", function (event) {
    var zone = event.target instanceof Element && event.target.closest("[data-dropzone]");
    var files = event.clipboardData && event.clipboardData.files;
    if (zone && files && files.length && zone.form.querySelector("[data-upload-input]")) {
      event.preventDefault();
      uploadFiles(zone.form, files);
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".toolbar[hidden], .upload-list [data-insert][hidden]").forEach(function (el) { el.hidden = false; });
    // Close an open view menu when clicking elsewhere.
    document.addEventListener("click", function (event) {
      document.querySelectorAll("details.view-menu[open]").forEach(function (menu) {
        if (!menu.contains(event.target)) menu.open = false;
      });
    });
  });
})();
