// API key pages: "Use in the try-it console" keeps the new key for this tab's try-it console (sessionStorage, never
// sent anywhere). The key is in the page already; without scripts the user copies it by hand.
(function () {
  "use strict";
  document.addEventListener("click", function (e) {
    var button = e.target.closest("[data-key-source]");
    if (!button) return;
    var source = document.querySelector(button.getAttribute("data-key-source"));
    if (!source) return;
    var status = document.getElementById("use-in-console-status");
    try {
      sessionStorage.setItem("tollgate.key", source.textContent.trim());
      if (status) status.textContent = "Saved: the try-it console of any API uses this key in this tab.";
    } catch (err) {
      if (status) status.textContent = "Your browser does not allow storing it; copy the key instead.";
    }
  });
})();
