// A form sent back with errors: move the focus to the summary of them, so a
// keyboard or screen reader user starts there (templates/partials/error_summary.html).
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();
});
