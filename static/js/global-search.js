/* The navigation's search box as a combobox (WAI-ARIA 1.2 listbox pattern):
   htmx fills the listbox as one types; ArrowDown/ArrowUp move through the
   options (aria-activedescendant), Enter opens the one chosen (or, with none,
   submits the search page), Escape closes the list. */
(function () {
  "use strict";
  var input = document.getElementById("global-search-q");
  var results = document.getElementById("global-search-results");
  if (!input || !results) return;

  function options() {
    return Array.prototype.slice.call(results.querySelectorAll('[role="option"]'));
  }
  function current() {
    var id = input.getAttribute("aria-activedescendant");
    return id ? document.getElementById(id) : null;
  }
  function choose(option) {
    options().forEach(function (o) {
      o.classList.remove("active");
      o.setAttribute("aria-selected", "false");
    });
    if (!option) {
      input.removeAttribute("aria-activedescendant");
      return;
    }
    option.classList.add("active");
    option.setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  }
  function close() {
    results.innerHTML = "";
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target !== results) return;
    input.setAttribute("aria-expanded", options().length ? "true" : "false");
    input.removeAttribute("aria-activedescendant");
  });
  input.addEventListener("keydown", function (event) {
    var all = options();
    var at = all.indexOf(current());
    if (event.key === "ArrowDown" && all.length) {
      event.preventDefault();
      choose(all[(at + 1) % all.length]);
    } else if (event.key === "ArrowUp" && all.length) {
      event.preventDefault();
      choose(all[at <= 0 ? all.length - 1 : at - 1]);
    } else if (event.key === "Enter" && current()) {
      event.preventDefault();
      window.location.assign(current().getAttribute("href"));
    } else if (event.key === "Escape") {
      close();
    }
  });
  document.addEventListener("click", function (event) {
    if (!event.target.closest || !event.target.closest(".global-search")) close();
  });
})();
