// django-import-export's export page ticks every field with an inline onchange handler,
// which the Content-Security-Policy blocks (the browser reports it once). Replace it with a
// listener from this static file; onSelectToggleChange comes from the page's own script.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("input.select-toggle[onchange]").forEach(function (box) {
    box.removeAttribute("onchange");
    box.addEventListener("change", function (event) {
      if (typeof window.onSelectToggleChange === "function") {
        window.onSelectToggleChange(event);
      }
    });
  });
});
