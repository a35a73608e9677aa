// The form page's own behaviour: unsaved-changes warning, 是否变更 greying, participant rows.
// Everything that talks to the server goes through htmx attributes in the page.
(function () {
  "use strict";
  var form = document.getElementById("form");
  var dirty = false;

  function setDirty(value) {
    dirty = value;
    document.getElementById("dirty").hidden = !value;
    document.getElementById("build-button").disabled = value;
    document.getElementById("build-hint").hidden = !value;
  }

  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  form.addEventListener("input", function () { setDirty(true); });
  form.addEventListener("change", function () { setDirty(true); });
  document.body.addEventListener("saved", function () { setDirty(false); });

  // 是否变更 否: the change columns may stay empty; they are shown greyed (still editable, values kept).
  function changed() {
    var checked = form.querySelector('input[name="' + form.dataset.changeSwitch + '"]:checked');
    return checked ? checked.value : "";
  }
  function greyChangeColumns() {
    var off = changed() === "否";
    form.querySelectorAll(".change-column").forEach(function (el) {
      el.classList.toggle("inactive", off);
      if (off) el.title = "是否变更为「否」：此栏可以留空";
      else el.removeAttribute("title");
    });
  }
  form.addEventListener("change", function (event) {
    if (event.target.name === form.dataset.changeSwitch) greyChangeColumns();
  });
  greyChangeColumns();

  // Participant rows: names are LIST.INDEX.COLUMN, renumbered after every change so the
  // server reads the rows in the order shown.
  function renumber(list) {
    var base = list.dataset.list;
    list.querySelectorAll("tbody tr").forEach(function (tr, i) {
      tr.querySelectorAll("td[data-column]").forEach(function (td) {
        var name = base + "." + i + "." + td.dataset.column;
        var id = name.split(".").join("_");
        td.querySelectorAll("input, select, textarea").forEach(function (el) {
          el.name = name;
          el.id = "f-" + id;
        });
        td.querySelectorAll(".msg").forEach(function (el) { el.id = "err-" + id; });
      });
    });
  }
  function rowsChanged(list) {
    renumber(list);
    setDirty(true);
    htmx.trigger(form, "rows-changed");
  }
  form.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    var list = button.closest("[data-list]");
    if (!list) return;
    var tbody = list.querySelector("tbody");
    var tr = button.closest("tr");
    if (button.classList.contains("add")) {
      var row = list.querySelector("template").content.firstElementChild.cloneNode(true);
      tbody.appendChild(row);
      htmx.process(row);
      rowsChanged(list);
      var first = row.querySelector("input");
      if (first) first.focus();
    } else if (button.classList.contains("remove") && tr) {
      tr.remove();
      rowsChanged(list);
    } else if (button.classList.contains("up") && tr && tr.previousElementSibling) {
      tbody.insertBefore(tr, tr.previousElementSibling);
      rowsChanged(list);
    } else if (button.classList.contains("down") && tr && tr.nextElementSibling) {
      tbody.insertBefore(tr.nextElementSibling, tr);
      rowsChanged(list);
    }
  });

  // A check answered after its row was removed carries message slots with nowhere to go: drop them.
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    // The server's 4xx answers (a conflict, a refused upload) are messages for the user: show them.
    var status = event.detail.xhr.status;
    if (status >= 400 && status < 500) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
    var response = event.detail.serverResponse;
    if (typeof response !== "string" || response.indexOf("hx-swap-oob") < 0) return;
    var holder = document.createElement("template");
    holder.innerHTML = response;
    var dropped = false;
    holder.content.querySelectorAll("[hx-swap-oob][id]").forEach(function (el) {
      if (!document.getElementById(el.id)) {
        el.remove();
        dropped = true;
      }
    });
    if (dropped) event.detail.serverResponse = holder.innerHTML;
  });

  window.closureApp = {
    reload: function () {
      dirty = false;          // the user chose to drop the page's changes
      window.location.reload();
    },
    isDirty: function () { return dirty; }
  };
})();
