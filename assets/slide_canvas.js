/* The briefing's slide canvas (issue 14, item 4): a fixed 1920 x 1080 design box scaled as a
   whole (CSS transform) to the room it has, so a slide looks the same at 1024 x 768,
   1280 x 720 and 1920 x 1080, full screen or not. Not presenting: as wide as the page allows
   and no taller than the window; presenting: as large as the screen, centred. Text boxes
   marked data-fit start at their data-fit size (design px) and shrink, never below
   data-fit-min, until their text fits. No libraries. */
(function () {
  "use strict";

  var W = 1920;
  var H = 1080;

  function presenting(stage) {
    var root = stage.closest(".cg-briefing");
    return !!root && root.classList.contains("cg-present");
  }

  function scale(stage) {
    var canvas = stage.firstElementChild;
    if (!canvas) {
      return;
    }
    var present = presenting(stage);
    var roomW = present ? window.innerWidth : stage.clientWidth;
    var roomH = present ? window.innerHeight : Math.max(window.innerHeight - 16, 240);
    var s = Math.min(roomW / W, roomH / H);
    var left = present ? (roomW - W * s) / 2 : (roomW - W * s) / 2;
    var top = present ? (roomH - H * s) / 2 : 0;
    canvas.style.transform = "translate(" + left + "px, " + top + "px) scale(" + s + ")";
    stage.style.height = present ? "" : H * s + "px";
    stage.setAttribute("data-scale", s.toFixed(4));
  }

  function fitText(box) {
    var max = parseFloat(box.getAttribute("data-fit"));
    var min = parseFloat(box.getAttribute("data-fit-min")) || 24;
    var size = max;
    box.style.fontSize = size + "px";
    while (box.scrollHeight > box.clientHeight + 1 && size > min) {
      size -= 2;
      box.style.fontSize = size + "px";
    }
  }

  function fitAll() {
    document.querySelectorAll(".cg-stage").forEach(function (stage) {
      scale(stage);
      stage.querySelectorAll("[data-fit]").forEach(fitText);
    });
  }

  var pending = false;
  function soon() {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        fitAll();
      });
    }
  }

  window.addEventListener("resize", soon);
  document.addEventListener("fullscreenchange", soon);
  // the page is drawn by Dash after load, and its texts change with every slide
  new MutationObserver(function (records) {
    for (var i = 0; i < records.length; i++) {
      var target = records[i].target;
      if (records[i].type === "attributes") {
        if (target.classList && target.classList.contains("cg-briefing")) {
          soon();
          return;
        }
      } else if (!target.closest || !target.closest(".js-plotly-plot")) {
        soon();
        return;
      }
    }
  }).observe(document.body, {
    childList: true,
    characterData: true,
    subtree: true,
    attributes: true,
    attributeFilter: ["class"],
  });
  if (window.ResizeObserver) {
    var watched = new WeakSet();
    new MutationObserver(function () {
      document.querySelectorAll(".cg-stage").forEach(function (stage) {
        if (!watched.has(stage)) {
          watched.add(stage);
          new ResizeObserver(soon).observe(stage);
        }
      });
    }).observe(document.body, { childList: true, subtree: true });
  }
})();
