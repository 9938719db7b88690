// The SOP editors' tables of rows (lanes, steps): add, insert, move and delete rows with the
// buttons of each row or with the keyboard (Alt+Enter inserts a row below the one being
// edited, Alt+ArrowUp / Alt+ArrowDown move it). The rows are Django formset forms: after
// each change their fields are numbered again in the order shown (prefix-0-..., prefix-1-...)
// and TOTAL_FORMS says how many there are, so the server takes a row's place from its index.
// A row of the step table keeps its key (prefix-N-key) wherever it moves: the next-step
// pickers name rows by key. A picker lists every row when it is about to be used (focus,
// pointer); after a change only the text of its chosen row is brought up to date, which keeps
// a 40-step table (160 pickers) quick. A "rows-changed" event then tells the page (htmx: the
// live preview) that the table changed.
// Kept out of the templates: the Content-Security-Policy forbids inline scripts.
(function () {
  "use strict";

  var newKeys = 0;
  var UNNUMBERED = ["connector", "note"]; // SopStep.UNNUMBERED: no number in the No column

  function tables() {
    return document.querySelectorAll("table[data-rows]");
  }

  function tableOf(prefix) {
    return document.querySelector('table[data-rows="' + prefix + '"]');
  }

  // A row is a <tr data-row> of the table's body, or a whole <tbody data-row> when a row
  // takes two lines (the steps).
  function rowsOf(table) {
    return Array.prototype.slice.call(
      table.querySelectorAll(":scope > tbody[data-row], :scope > tbody > tr[data-row]")
    );
  }

  function labels(table) {
    // "Baris|ditambahkan|dipindah ke atas|dipindah ke bawah|dihapus", translated by the page.
    var parts = (table.getAttribute("data-labels") || "").split("|");
    return { row: parts[0], added: parts[1], up: parts[2], down: parts[3], removed: parts[4] };
  }

  function announce(table, text) {
    var status = document.querySelector('[data-rows-status="' + table.getAttribute("data-rows") + '"]');
    if (status) {
      status.textContent = "";
      window.setTimeout(function () { status.textContent = text; }, 50);
    }
  }

  // The number shown in each row: numbered rows count 1, 2, 3 ...; a row marked unnumbered
  // (a note, a connector row) shows a dash.
  function showNumbers(table) {
    var shown = 0;
    rowsOf(table).forEach(function (row) {
      var number = row.querySelector("[data-row-number]");
      if (!number) {
        return;
      }
      var kind = row.querySelector("[data-kind]");
      var counts = !kind || UNNUMBERED.indexOf(kind.value) === -1;
      if (counts) {
        shown += 1;
      }
      number.textContent = counts ? String(shown) : "–";
    });
  }

  // Give every field of every row its index again; update TOTAL_FORMS and the shown numbers.
  function renumber(table) {
    var prefix = table.getAttribute("data-rows");
    var pattern = new RegExp("^(id_)?" + prefix + "-(\\d+|__prefix__)-");
    var attributes = ["name", "id", "for", "aria-describedby", "list"];
    rowsOf(table).forEach(function (row, index) {
      if (row.getAttribute("data-index") !== String(index)) {
        row.setAttribute("data-index", String(index));
        row.querySelectorAll("[name], [id], [for], [aria-describedby], [list]").forEach(function (element) {
          attributes.forEach(function (attribute) {
            var value = element.getAttribute(attribute);
            if (value && pattern.test(value)) {
              element.setAttribute(attribute, value.replace(pattern, "$1" + prefix + "-" + index + "-"));
            }
          });
        });
      }
      var key = row.querySelector('input[name$="-key"]');
      if (key && !key.value) {
        newKeys += 1;
        key.value = "n" + Date.now().toString(36) + newKeys;
        var problems = row.querySelector("[data-row-problems]");
        if (problems) {
          problems.id = "masalah-" + key.value;
        }
      }
    });
    showNumbers(table);
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    if (total) {
      total.value = String(rowsOf(table).length);
    }
    refreshTargets(table);
    table.dispatchEvent(new CustomEvent("rows-changed", { bubbles: true }));
  }

  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // The rows as a next-step picker lists them: [[key, "number. activity"], ...].
  function targetLabels(table) {
    var labelled = [];
    rowsOf(table).forEach(function (row) {
      var key = row.querySelector('input[name$="-key"]');
      var number = row.querySelector("[data-row-number]");
      var activity = row.querySelector("[data-activity]");
      var text = (activity && activity.value.trim().replace(/\s+/g, " ")) || "…";
      if (text.length > 60) {
        text = text.slice(0, 57) + "…";
      }
      if (key && key.value) {
        labelled.push([key.value, (number ? number.textContent + ". " : "") + text]);
      }
    });
    return labelled;
  }

  // Every row as an option of `select` (not its own row), what it had chosen still chosen.
  function fillTargets(select) {
    var table = select.closest("table[data-rows]");
    var own = select.closest("[data-row]").querySelector('input[name$="-key"]');
    var chosen = select.value;
    var blank = select.querySelector('option[value=""]');
    var html = blank ? '<option value="">' + escapeHtml(blank.textContent) + "</option>" : "";
    targetLabels(table).forEach(function (pair) {
      if (!own || pair[0] !== own.value || select.hasAttribute("data-targets-self")) {
        html += '<option value="' + escapeHtml(pair[0]) + '">' + escapeHtml(pair[1]) + "</option>";
      }
    });
    select.innerHTML = html;
    select.value = chosen;
    select.setAttribute("data-filled", "");
  }

  // After a change: the pickers list rows anew when next used; the text of what each has
  // chosen ("5. Memeriksa berkas") follows the row's new number and activity now.
  function refreshTargets(table) {
    var pickers = table.querySelectorAll("select[data-targets]");
    if (!pickers.length) {
      return;
    }
    var labelOf = {};
    targetLabels(table).forEach(function (pair) { labelOf[pair[0]] = pair[1]; });
    pickers.forEach(function (select) {
      select.removeAttribute("data-filled");
      var option = select.selectedOptions[0];
      if (option && option.value && labelOf[option.value] !== undefined) {
        option.textContent = labelOf[option.value];
      }
    });
  }

  function fillOnUse(event) {
    var select = event.target.closest && event.target.closest("select[data-targets]");
    if (select && !select.hasAttribute("data-filled")) {
      fillTargets(select);
    }
  }
  document.addEventListener("focusin", fillOnUse);
  document.addEventListener("pointerdown", fillOnUse);

  // The third and fourth next-step pickers of a row show once the one before is used.
  function showSlots(row) {
    var slots = row ? row.querySelectorAll("[data-flow-slot]") : [];
    var previousUsed = true;
    Array.prototype.forEach.call(slots, function (slot, index) {
      var target = slot.querySelector("select[data-targets]");
      var used = target && target.value !== "";
      slot.classList.toggle("d-none", index >= 2 && !used && !previousUsed);
      previousUsed = used;
    });
  }

  function newRow(table) {
    var template = document.querySelector('template[data-row-template="' + table.getAttribute("data-rows") + '"]');
    var fragment = template.content.cloneNode(true);
    return fragment.querySelector("[data-row]");
  }

  function focusFirst(row) {
    var field = row.querySelector("[data-activity]") || row.querySelector("textarea, input:not([type=hidden]), select");
    if (field) {
      field.focus();
    }
  }

  function sameField(row, name) {
    // The field of `row` that plays the part `name` (prefix-N-part) played before.
    var part = name ? name.replace(/^.*-\d+-/, "") : "";
    return part ? row.querySelector('[name$="-' + part + '"]') : null;
  }

  function act(action, row, table, focused) {
    var text = labels(table);
    var rows = rowsOf(table);
    var index = row ? rows.indexOf(row) : -1;
    if (action === "add" || action === "insert") {
      var fresh = newRow(table);
      var after = action === "insert" && row ? row : rows[rows.length - 1];
      if (after) {
        after.parentNode.insertBefore(fresh, after.nextSibling);
      } else if (fresh.tagName === "TBODY") {
        table.appendChild(fresh);
      } else {
        table.tBodies[0].appendChild(fresh);
      }
      renumber(table);
      showSlots(fresh);
      focusFirst(fresh);
      announce(table, text.row + " " + (rowsOf(table).indexOf(fresh) + 1) + " " + text.added);
      return;
    }
    if (!row) {
      return;
    }
    if (action === "up" && index > 0) {
      row.parentNode.insertBefore(row, rows[index - 1]);
      renumber(table);
      announce(table, text.row + " " + (index + 1) + " " + text.up);
    } else if (action === "down" && index < rows.length - 1) {
      row.parentNode.insertBefore(rows[index + 1], row);
      renumber(table);
      announce(table, text.row + " " + (index + 1) + " " + text.down);
    } else if (action === "delete") {
      var next = rows[index + 1] || rows[index - 1];
      row.remove();
      renumber(table);
      announce(table, text.row + " " + (index + 1) + " " + text.removed);
      if (next) {
        focusFirst(next);
      } else {
        var add = document.querySelector('[data-row-action="add"][data-rows-target="' + table.getAttribute("data-rows") + '"]');
        if (add) {
          add.focus();
        }
      }
      return;
    }
    if (focused) {
      focused.focus();
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-row-action]");
    if (!button) {
      return;
    }
    var action = button.getAttribute("data-row-action");
    var table = action === "add" ? tableOf(button.getAttribute("data-rows-target")) : button.closest("table[data-rows]");
    if (!table) {
      return;
    }
    event.preventDefault();
    act(action, button.closest("[data-row]"), table, button);
  });

  document.addEventListener("keydown", function (event) {
    if (!event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    var row = event.target.closest && event.target.closest("table[data-rows] [data-row]");
    if (!row) {
      return;
    }
    var table = row.closest("table[data-rows]");
    var name = event.target.getAttribute("name");
    if (event.key === "Enter") {
      event.preventDefault();
      act("insert", row, table, null);
    } else if (event.key === "ArrowUp" || event.key === "ArrowDown") {
      event.preventDefault();
      act(event.key === "ArrowUp" ? "up" : "down", row, table, null);
      var again = sameField(row, name);
      if (again) {
        again.focus();
      }
    }
  });

  // An activity typed or a row marked (un)numbered changes the pickers' labels.
  var pending = null;
  document.addEventListener("input", function (event) {
    var table = event.target.closest && event.target.closest("table[data-rows]");
    if (table && event.target.matches("[data-activity]")) {
      window.clearTimeout(pending);
      pending = window.setTimeout(function () { refreshTargets(table); }, 300);
    }
  });
  document.addEventListener("change", function (event) {
    var table = event.target.closest && event.target.closest("table[data-rows]");
    if (table && event.target.matches("[data-kind]")) {
      showNumbers(table);
      refreshTargets(table);
    }
    if (table && event.target.matches("select[data-targets]")) {
      showSlots(event.target.closest("[data-row]"));
    }
  });

  // The preview drawn to fit its panel, or at its own size (scrolling sideways).
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-preview-zoom]");
    if (!button) {
      return;
    }
    var panel = document.getElementById(button.getAttribute("aria-controls"));
    var natural = panel.classList.toggle("preview-natural");
    button.setAttribute("aria-pressed", natural ? "true" : "false");
  });

  // The numbers as the script keeps them, from the start (what the server rendered already
  // has its names right).
  function start() {
    tables().forEach(function (table) {
      showNumbers(table);
      rowsOf(table).forEach(function (row, index) {
        row.setAttribute("data-index", String(index));
        showSlots(row);
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
