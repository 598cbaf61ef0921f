/* Skills as chips: a textarea with one skill per line becomes chips and a typing field.
   Suggestions come from the skill vocabulary (data-suggest-url); a word it does not know is
   kept as typed. Without JavaScript the textarea itself works. No inline script (CSP). */
(function () {
  "use strict";
  var counter = 0;

  function lines(textarea) {
    return textarea.value.split(/\n+/).map(function (s) { return s.trim(); }).filter(Boolean);
  }

  function setup(textarea) {
    counter += 1;
    var listId = "tp-chips-list-" + counter;
    var box = document.createElement("div");
    box.className = "tp-chips";
    var input = document.createElement("input");
    input.type = "text";
    input.className = "tp-chips-input";
    input.setAttribute("list", listId);
    input.setAttribute("autocomplete", "off");
    input.setAttribute("aria-label", textarea.getAttribute("data-input-label") || "");
    input.placeholder = textarea.getAttribute("data-placeholder") || "";
    if (textarea.id) { input.id = textarea.id + "-chip-input"; }
    var datalist = document.createElement("datalist");
    datalist.id = listId;

    function sync(values) {
      textarea.value = values.join("\n");
      render();
    }
    function add(text) {
      var value = text.replace(/\s+/g, " ").trim();
      if (!value) { return; }
      var values = lines(textarea);
      var folded = values.map(function (v) { return v.toLowerCase(); });
      if (folded.indexOf(value.toLowerCase()) === -1) { values.push(value); }
      sync(values);
    }
    function render() {
      Array.prototype.slice.call(box.querySelectorAll(".tp-chip")).forEach(function (chip) { chip.remove(); });
      lines(textarea).forEach(function (value, index) {
        var chip = document.createElement("span");
        chip.className = "tp-chip";
        chip.textContent = value;
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "tp-chip-remove";
        remove.setAttribute("aria-label", (textarea.getAttribute("data-remove-label") || "Remove") + " " + value);
        remove.textContent = "\u00d7";
        remove.addEventListener("click", function () {
          var values = lines(textarea);
          values.splice(index, 1);
          sync(values);
          input.focus();
        });
        chip.appendChild(remove);
        box.insertBefore(chip, input);
      });
    }
    var pending = null;
    function suggest() {
      var url = textarea.getAttribute("data-suggest-url");
      var query = input.value.trim();
      if (!url || query.length < 2) { return; }
      if (pending) { pending.abort(); }
      pending = new AbortController();
      fetch(url + "?q=" + encodeURIComponent(query), { credentials: "same-origin", signal: pending.signal })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          datalist.textContent = "";
          (data.results || []).forEach(function (item) {
            var option = document.createElement("option");
            option.value = item.label;
            datalist.appendChild(option);
          });
        })
        .catch(function () { /* suggestions are a help, not a need */ });
    }
    input.addEventListener("input", function (event) {
      // A suggestion picked from the list arrives as one whole replacement.
      if (event.inputType === "insertReplacementText" || event.inputType === undefined) {
        var picked = Array.prototype.some.call(datalist.options, function (o) { return o.value === input.value; });
        if (picked) { add(input.value); input.value = ""; return; }
      }
      if (input.value.indexOf(",") !== -1 && !/\([^)]*$/.test(input.value)) {
        input.value.split(",").forEach(add);
        input.value = "";
        return;
      }
      suggest();
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        add(input.value);
        input.value = "";
      } else if (event.key === "Backspace" && !input.value) {
        var values = lines(textarea);
        values.pop();
        sync(values);
      }
    });
    input.addEventListener("blur", function () { add(input.value); input.value = ""; });
    box.addEventListener("click", function (event) { if (event.target === box) { input.focus(); } });

    box.appendChild(input);
    box.appendChild(datalist);
    textarea.style.display = "none";
    textarea.parentNode.insertBefore(box, textarea.nextSibling);
    render();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("textarea[data-chips]"), setup);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
