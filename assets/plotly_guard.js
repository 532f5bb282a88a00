/*
 * Leaving a view while one of its charts is still drawing must not throw.
 *
 * Plotly draws in steps: `Plotly.react` on a map waits on its style loading, and the steps after
 * it run when that settles. When the reader leaves the view in between (a click on a station
 * opens /stations), dcc.Graph unmounts and calls `Plotly.purge`, which deletes the graph's
 * layout; the waiting step then resumes on a purged graph and throws ("Cannot read properties
 * of undefined (reading '_rangeSliderData')").
 *
 * So every drawing call is remembered on its graph until it settles, and a purge of a graph
 * with drawing still in flight waits until it has settled (and the steps it releases have run:
 * a timer comes after every promise continuation), then purges — the graph's WebGL context is
 * still freed, just a few milliseconds later.
 */
(function () {
  "use strict";

  const DRAWING = ["react", "newPlot", "relayout", "restyle", "update", "redraw"];
  const MAX_ROUNDS = 50;

  function node(gd) {
    return typeof gd === "string" ? document.getElementById(gd) : gd;
  }

  function inFlight(gd) {
    const own = gd && gd.__cgInFlight ? Array.from(gd.__cgInFlight) : [];
    const internal = gd && gd._promises ? gd._promises : [];
    return own.concat(internal);
  }

  function remember(gd, result) {
    if (!gd || !result || typeof result.then !== "function") return;
    const set = gd.__cgInFlight || (gd.__cgInFlight = new Set());
    set.add(result);
    const forget = () => set.delete(result);
    result.then(forget, forget);
  }

  function tracked(Plotly, owner, name) {
    const original = owner[name];
    if (typeof original !== "function") return;
    owner[name] = function (gd) {
      const result = original.apply(this, arguments);
      remember(node(gd), result);
      return result;
    };
  }

  function guard(Plotly) {
    if (Plotly.__cgGuarded) return;
    DRAWING.forEach((name) => tracked(Plotly, Plotly, name));
    if (Plotly.Plots) tracked(Plotly, Plotly.Plots, "resize");
    const purge = Plotly.purge;
    function settled(gd, rounds) {
      const waiting = inFlight(gd);
      if (!waiting.length || rounds > MAX_ROUNDS) return purge.call(Plotly, gd);
      const again = () => window.setTimeout(() => settled(gd, rounds + 1), 0);
      Promise.allSettled(waiting).then(again);
      return gd;
    }
    Plotly.purge = function (gd) {
      return settled(node(gd), 0);
    };
    Plotly.__cgGuarded = true;
  }

  /* plotly.js arrives asynchronously (dcc loads it on first use): wrap it as soon as it is there. */
  function install(attempt) {
    if (window.Plotly && window.Plotly.purge) {
      guard(window.Plotly);
      return;
    }
    // quickly while a page is loading; a view without charts may never load plotly.js at all
    window.setTimeout(() => install(attempt + 1), attempt < 400 ? 50 : 1000);
  }

  install(0);
})();
