// Helpers for the saved (static) widget views on notebook pages. Listed in nb_ipywidgets_js
// between require.js and the widgets HTML manager (embed-amd.js). Safe to run more than once
// and on pages without widgets.
(function () {
  // 1. Tell require.js where the manager's bundled modules live, so that it loads its icon fonts
  //    from next to itself on the CDN rather than from under the page's folder, where they 404
  //    (jupyter-widgets/ipywidgets#3658).
  if (typeof window.require === "function" && typeof window.require.config === "function") {
    var dist = "https://cdn.jsdelivr.net/npm/@jupyter-widgets/html-manager@1.0.6/dist/";
    window.require.config({
      paths: {
        "@jupyter-widgets/base": dist + "base",
        "@jupyter-widgets/controls": dist + "controls",
        "@jupyter-widgets/html-manager": dist + "html-manager",
        "@jupyter-widgets/html-manager/dist/libembed-amd": dist + "libembed-amd",
      },
    });
  }

  // 2. ipywidgets still typesets with MathJax 2's MathJax.Hub.Queue whenever window.MathJax
  //    exists (jupyter-widgets/ipywidgets#3829), but Sphinx pages with maths load MathJax 3, which
  //    has no Hub: every widget label then throws "Cannot read properties of undefined (reading
  //    'Queue')". Provide a Hub.Queue that hands the element to MathJax 3 instead.
  var hub = {
    Queue: function (job) {
      var element = Array.isArray(job) ? job[2] : null;
      var mj = window.MathJax;
      if (element && mj && typeof mj.typesetPromise === "function") {
        mj.typesetPromise([element]).catch(function () {});
      }
    },
  };
  var mj = window.MathJax;
  if (mj && !mj.Hub) {
    mj.Hub = hub; // while MathJax 3 is still loading (or if it cannot load)
    if (!mj.version) {
      // MathJax 3 replaces window.MathJax when it starts: add the Hub again once it is ready.
      mj.startup = mj.startup || {};
      var ready = mj.startup.ready;
      mj.startup.ready = function () {
        if (ready) ready(); else window.MathJax.startup.defaultReady();
        if (!window.MathJax.Hub) window.MathJax.Hub = hub;
      };
    }
  }

  // 3. Give slider handles an accessible name (the slider's description, e.g. "Years: from"):
  //    ipywidgets' noUiSlider handles have role="slider" but no label (axe: aria-input-field-name).
  function labelHandles(root) {
    root.querySelectorAll(".widget-slider").forEach(function (slider) {
      var label = slider.querySelector(".widget-label");
      var name = (label && label.textContent.trim()) || "Slider";
      var handles = slider.querySelectorAll(".noUi-handle:not([aria-label])");
      handles.forEach(function (handle) {
        var which = handle.classList.contains("noUi-handle-lower") && slider.querySelector(".noUi-handle-upper")
          ? ": from" : handle.classList.contains("noUi-handle-upper") ? ": to" : "";
        handle.setAttribute("aria-label", name + which);
      });
    });
  }
  function watch() {
    labelHandles(document);
    new MutationObserver(function () { labelHandles(document); })
      .observe(document.body, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch);
  else watch();
})();
