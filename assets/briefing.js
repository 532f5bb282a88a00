/* Briefing keyboard: → / space / PageDown next, ← / PageUp previous, Home / End first and last,
   F present full screen, Esc leave full screen, then (again) back to the view the person came
   from. Only on /briefing (its root is on the page); the keys click the page's own buttons, so
   the keyboard and the mouse share one path through the server's callbacks. No libraries. */
(function () {
  "use strict";

  var ROOT = "briefing-root";
  var PRESENTING = "cg-present";
  var exitedFullscreenAt = 0;

  function root() {
    return document.getElementById(ROOT);
  }

  function presenting() {
    var r = root();
    return !!r && r.classList.contains(PRESENTING);
  }

  function click(id) {
    var el = document.getElementById(id);
    if (el && !el.disabled) {
      el.click();
    }
  }

  function relayout() {
    // charts size themselves on a window resize
    window.dispatchEvent(new Event("resize"));
  }

  function setPresenting(on) {
    var r = root();
    if (!r) {
      return;
    }
    r.classList.toggle(PRESENTING, on);
    r.setAttribute("data-presenting", on ? "true" : "false");
    window.requestAnimationFrame(relayout);
  }

  function present() {
    setPresenting(true);
    var page = document.documentElement;
    if (document.fullscreenEnabled && !document.fullscreenElement && page.requestFullscreen) {
      // may be refused (no user gesture, a headless browser): presenting goes on without it
      page.requestFullscreen().catch(function () {});
    }
  }

  function stopPresenting() {
    if (document.fullscreenElement && document.exitFullscreen) {
      document.exitFullscreen().catch(function () {});
    }
    setPresenting(false);
  }

  function leave() {
    if (document.fullscreenElement || presenting()) {
      stopPresenting();
    } else if (performance.now() - exitedFullscreenAt > 400) {
      // the browser may deliver the Esc that ended full screen: that one does not leave too
      click("briefing-back");
    }
  }

  // keys typed into a form control, or moving a slider or a date picker, stay there
  var CONTROLS = [
    "input", "textarea", "select", "[contenteditable='true']", "[role='combobox']",
    "[role='listbox']", "[role='slider']", "[role='dialog']", "[class*='dash-dropdown']",
    "[class*='dash-datepicker']"
  ].join(", ");

  function typing(target) {
    return !!(target && target.closest && target.closest(CONTROLS));
  }

  function pressable(target) {
    return !!(target && target.closest && target.closest("button, a, [role='button']"));
  }

  document.addEventListener("keydown", function (event) {
    if (!root() || event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) {
      return;
    }
    var handled = true;
    switch (event.key) {
      case "ArrowRight":
      case "PageDown":
        click("briefing-next");
        break;
      case " ":
      case "Spacebar":
        // a focused button keeps its own space key, except while presenting
        if (pressable(event.target) && !presenting()) {
          handled = false;
        } else {
          click("briefing-next");
        }
        break;
      case "ArrowLeft":
      case "PageUp":
        click("briefing-prev");
        break;
      case "Home":
        click("briefing-first");
        break;
      case "End":
        click("briefing-last");
        break;
      case "f":
      case "F":
        if (presenting()) {
          stopPresenting();
        } else {
          present();
        }
        break;
      case "Escape":
      case "Esc":
        leave();
        break;
      default:
        handled = false;
    }
    if (handled) {
      event.preventDefault();
      if (presenting() && document.activeElement && document.activeElement.blur) {
        document.activeElement.blur();
      }
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target && event.target.closest && event.target.closest("#briefing-present");
    if (button) {
      present();
      button.blur();
    }
  });

  document.addEventListener("fullscreenchange", function () {
    if (!document.fullscreenElement) {
      exitedFullscreenAt = performance.now();
      setPresenting(false);
    }
  });
})();
