// Copy buttons: the Clipboard API where the page is a secure context,
// else a selection and execCommand, which also works from file://.
document.addEventListener("click", function (ev) {
  var btn = ev.target.closest("button.copy");
  if (!btn) return;
  var pre = document.getElementById(btn.getAttribute("data-target"));
  if (!pre) return;
  var text = pre.textContent;
  function done() { btn.textContent = "Copied"; btn.classList.add("done"); }
  function fallback() {
    var r = document.createRange(); r.selectNodeContents(pre);
    var s = window.getSelection(); s.removeAllRanges(); s.addRange(r);
    try { if (document.execCommand("copy")) done(); } catch (e) {}
  }
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done, fallback);
  } else {
    fallback();
  }
});
