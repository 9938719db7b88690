// Behaviour shared by every page, kept out of the templates so that the Content-Security-Policy
// can forbid inline scripts (script-src 'self').

// A <select data-autosubmit> (year, indicator, language pickers) submits its form on change.
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target.matches && target.matches("select[data-autosubmit]") && target.form) {
    target.form.submit();
  }
});
