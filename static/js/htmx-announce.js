/* htmx updates, told to screen-reader and keyboard users (templates/base.html).

   Announce: every page has one polite live region, #htmx-announcer, that no swap
   ever replaces (a live region that arrives with new content is often not read
   out at all). After each swap the text of the new content's [data-announce]
   element (its data-announce value, or else its text) is written into it. The
   same words twice in a row are said once, so a progress poll that changed
   nothing says nothing.

   Focus: when the swap replaced the element that held the focus (the row whose
   button was pressed, the form that was sent) and so took the focus away, it
   moves to, in this order: the new content's error summary or first invalid
   field; with data-focus-after-swap="next", the first [data-swap-focus]
   control of a following sibling (the next item of a list); the new content's
   own [data-swap-focus] control; the new content itself (tabindex=-1). A swap
   elsewhere (a progress poll) never moves the focus. */
(function () {
  "use strict";
  var said = "";

  function say(text) {
    var region = document.getElementById("htmx-announcer");
    text = (text || "").replace(/\s+/g, " ").trim();
    if (!region || !text || text === said) return;
    said = text;
    region.textContent = "";
    // Emptied first, then filled a moment later: a screen reader reads the change.
    window.setTimeout(function () {
      region.textContent = text;
    }, 100);
  }

  function announcement(root) {
    var node = root.matches("[data-announce]") ? root : root.querySelector("[data-announce]");
    if (!node) return "";
    return node.getAttribute("data-announce") || node.textContent;
  }

  function focusTarget(root) {
    var first = root.querySelector("#error-summary, [aria-invalid=\"true\"], .is-invalid");
    if (first) return first;
    var how = root.getAttribute("data-focus-after-swap");
    if (how === "next") {
      for (var next = root.nextElementSibling; next; next = next.nextElementSibling) {
        var control = next.querySelector("[data-swap-focus]");
        if (control) return control;
      }
    }
    var own = root.querySelector("[data-swap-focus]");
    if (own) return own;
    if (!root.hasAttribute("tabindex")) root.setAttribute("tabindex", "-1");
    return root;
  }

  // The id of the element being replaced when it held the focus: only then does
  // the focus move (a poll must not pull the focus from wherever the reader is).
  var focusedTarget = null;
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    var active = document.activeElement;
    focusedTarget =
      target && target.id && active && active !== document.body && target.contains(active)
        ? target.id
        : null;
  });

  document.body.addEventListener("htmx:afterSettle", function (event) {
    var root = event.target;
    if (!(root instanceof Element) || !root.isConnected) return;
    say(announcement(root));
    var active = document.activeElement;
    var lost = !active || active === document.body || !active.isConnected;
    if (focusedTarget && root.id === focusedTarget && lost) {
      focusedTarget = null;
      focusTarget(root).focus();
    }
  });
})();
