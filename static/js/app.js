// Behaviour shared by every page, kept out of the templates so that the Content-Security-Policy
// can forbid inline scripts (script-src 'self').

// A <select data-autosubmit> (year, indicator, language pickers) submits its form on change.
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target.matches && target.matches("select[data-autosubmit]") && target.form) {
    target.form.submit();
  }
});

// A bar with data-width="40" (the export job's progress) is drawn 40 % wide. Set from here
// because the policy forbids style attributes (style-src 'self'); setting element.style from
// a script file is allowed. Again after htmx swaps in a fresh status, before it is painted.
function setWidths(root) {
  root.querySelectorAll("[data-width]").forEach(function (element) {
    element.style.width = element.getAttribute("data-width") + "%";
  });
}
setWidths(document);
document.addEventListener("htmx:afterSwap", function (event) {
  setWidths(event.target);
});
