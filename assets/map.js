/*
 * The map page's browser side (dashboard/app/pages/map_page.py):
 *
 * - fit: the `map` subplot has no fitbounds and its zoom depends on its pixel size, which only the
 *   browser knows (the card's width, the window's height). When a new geometry arrives, or the
 *   graph changes size before anyone has moved the map, centre and zoom are set so that the
 *   bounding box in `layout.meta.cg_map.bbox` fills the map.
 * - names: the areas' names are paper-coordinate annotations (name "cg-place"; no glyph server is
 *   needed). Paper coordinates do not follow the map, so after every move each is put where the
 *   map projects its anchor (`layout.meta.cg_map.labels`, in the annotations' order), hidden when
 *   outside the map or when it would overlap a name already placed.
 * - history: a drill into a district (or back out) is a browser history step: the current address
 *   is pushed before the drill, and the shell's replaceState then writes the new one over the copy.
 */
(function () {
  "use strict";
  const LABEL = "cg-place";
  const TILE = 512;
  const PADDING = 0.92;

  function mercY(lat) {
    const clipped = Math.max(Math.min(lat, 85.051129), -85.051129);
    return Math.log(Math.tan(Math.PI / 4 + (clipped * Math.PI) / 360));
  }

  function plotOf(id) {
    const host = document.getElementById(id);
    return host ? host.querySelector(".js-plotly-plot") || null : null;
  }

  function metaOf(gd) {
    const meta = (gd.layout && gd.layout.meta) || {};
    return meta.cg_map || null;
  }

  /* A map still on the page and drawn: a timer or a map event can outlive it (the reader has
     gone to another view), and relayout on a purged graph throws. */
  function alive(gd) {
    return !!(gd && gd.isConnected && gd._fullLayout && gd._fullLayout._size);
  }

  function subplotOf(gd) {
    const full = gd._fullLayout;
    return full && full.map && full.map._subplot ? full.map._subplot : null;
  }

  /* Centre and zoom showing all of bbox on a width × height map. */
  function view(bbox, width, height) {
    const [west, south, east, north] = bbox;
    const spanX = Math.max(east - west, 1e-6);
    const spanY = Math.max(mercY(north) - mercY(south), 1e-8);
    const zoomX = Math.log2((width * PADDING * 360) / (TILE * spanX));
    const zoomY = Math.log2((height * PADDING * 2 * Math.PI) / (TILE * spanY));
    const zoom = Math.max(0, Math.min(zoomX, zoomY, 18));
    const midY = (mercY(north) + mercY(south)) / 2;
    const lat = ((2 * Math.atan(Math.exp(midY)) - Math.PI / 2) * 180) / Math.PI;
    return { center: { lon: (west + east) / 2, lat: lat }, zoom: Math.round(zoom * 100) / 100 };
  }

  function mapSize(gd) {
    const sub = subplotOf(gd);
    if (!sub || !sub.map) return null;
    const canvas = sub.map.getCanvas();
    return { width: canvas.clientWidth, height: canvas.clientHeight };
  }

  function fit(gd, force) {
    if (!alive(gd)) return false;
    const meta = metaOf(gd);
    const size = mapSize(gd);
    if (!meta || !size || !size.width || !size.height || !meta.bbox) return false;
    const key = meta.geometry + "@" + size.width + "x" + size.height;
    const state = gd.__cgMap || (gd.__cgMap = {});
    const newGeometry = state.geometry !== meta.geometry;
    if (!force && !newGeometry && (state.key === key || state.moved)) return false;
    state.geometry = meta.geometry;
    state.key = key;
    state.moved = false;
    const target = view(meta.bbox, size.width, size.height);
    state.fitting = true;
    // as a reader's own pan would be (uirevision then keeps it when the server recolours)
    const relayout = window.Plotly._guiRelayout || window.Plotly.relayout;
    relayout(gd, { "map.center": target.center, "map.zoom": target.zoom }).then(
      () => {
        state.fitting = false;
        place(gd);
      },
      () => {
        state.fitting = false;
      }
    );
    return true;
  }

  /* About how wide and tall a name is drawn (px): CJK characters are square, others about
     0.6 em wide; lines are broken at <br>. */
  function textBox(text, size) {
    const lines = String(text).split(/<br\s*\/?>/i);
    let widest = 0;
    for (const line of lines) {
      let w = 0;
      for (const ch of line.replace(/<[^>]*>/g, "")) {
        w += /[\u2e80-\u9fff\uff00-\uffef]/.test(ch) ? size : size * 0.6;
      }
      widest = Math.max(widest, w);
    }
    return [widest + 4, lines.length * size * 1.2 + 2];
  }

  /* Where a name may go around its anchor (px offsets, in order of preference). */
  function candidates(w, h) {
    return [[0, 0], [0, -h * 0.6], [0, h * 0.6], [w * 0.35, 0], [-w * 0.35, 0]];
  }

  function place(gd) {
    if (!alive(gd)) return;
    const meta = metaOf(gd);
    const sub = subplotOf(gd);
    const full = gd._fullLayout;
    if (!meta || !sub || !sub.map || !full) return;
    const anchors = meta.labels || [];
    const notes = (gd.layout.annotations || []).map((a, i) => [a, i]);
    const labels = notes.filter(([a]) => a.name === LABEL);
    if (!labels.length) return;
    const size = mapSize(gd);
    const domain = (full.map.domain && full.map.domain.x) || [0, 1];
    const paperW = full._size.w;
    const paperH = full._size.h;
    const left = domain[0] * paperW;
    const taken = [];
    const update = {};
    labels.forEach(([note, index], j) => {
      const anchor = anchors[j];
      if (!anchor) return;
      const anchorPx = sub.map.project(anchor);
      const fontSize = (note.font && note.font.size) || 12;
      const [w, h] = textBox(note.text, fontSize);
      const inside =
        anchorPx.x >= 0 && anchorPx.y >= 0 && anchorPx.x <= size.width && anchorPx.y <= size.height;
      let p = anchorPx;
      let visible = false;
      for (const [dx, dy] of inside ? candidates(w, h) : []) {
        const c = { x: anchorPx.x + dx, y: anchorPx.y + dy };
        const box = [c.x - w / 2, c.y - h / 2, c.x + w / 2, c.y + h / 2];
        const clear = !taken.some(
          (b) => box[0] < b[2] && box[2] > b[0] && box[1] < b[3] && box[3] > b[1]
        );
        if (clear) {
          taken.push(box);
          p = c;
          visible = true;
          break;
        }
      }
      const x = (left + p.x) / paperW;
      const y = 1 - p.y / paperH;
      // only what moved by half a pixel or more, or changed visibility: a relayout redraws the
      // map, and a redraw that changes nothing must not place again (no endless loop)
      const moved =
        Math.abs((note.x - x) * paperW) >= 0.5 || Math.abs((note.y - y) * paperH) >= 0.5;
      if (moved) {
        update[`annotations[${index}].x`] = x;
        update[`annotations[${index}].y`] = y;
      }
      if (note.visible !== visible) update[`annotations[${index}].visible`] = visible;
    });
    if (!Object.keys(update).length) return;
    gd.__cgMap = gd.__cgMap || {};
    gd.__cgMap.placing = true;
    window.Plotly.relayout(gd, update).then(
      () => {
        gd.__cgMap.placing = false;
      },
      () => {
        gd.__cgMap.placing = false;
      }
    );
  }

  /* Listen once per map instance: a move (pan, zoom, fit) places the names again; a pan or zoom
     by the reader stops the refit on resize. */
  function listen(gd) {
    const sub = subplotOf(gd);
    if (!sub || !sub.map || sub.map.__cgListening) return;
    sub.map.__cgListening = true;
    sub.map.on("moveend", (event) => {
      const state = gd.__cgMap || (gd.__cgMap = {});
      if (event && event.originalEvent) state.moved = true;
      place(gd);
    });
    if (window.ResizeObserver && !gd.__cgResize) {
      gd.__cgResize = new ResizeObserver(() => {
        window.clearTimeout(gd.__cgResizeTimer);
        gd.__cgResizeTimer = window.setTimeout(() => {
          if (!fit(gd, false)) place(gd);
        }, 150);
      });
      gd.__cgResize.observe(gd);
    }
  }

  /* After the server sent a figure (whole or a Patch): fit a new geometry, place the names. */
  function refresh(id, attempt) {
    const gd = plotOf(id);
    const sub = gd && subplotOf(gd);
    if (!gd || !sub || !sub.map || !sub.map.loaded()) {
      if ((attempt || 0) < 50) window.setTimeout(() => refresh(id, (attempt || 0) + 1), 100);
      return;
    }
    listen(gd);
    if (!fit(gd, false)) place(gd);
  }

  /* When the drill changes, the current address (the level left) is kept as its own history
     entry, unless the change came from Back or Forward (the browser already moved). */
  let popped = false;
  window.addEventListener("popstate", () => {
    popped = true;
  });
  function remember() {
    if (popped) {
      popped = false;
      return;
    }
    window.history.pushState(null, "", window.location.href);
  }

  window.cgMap = { refresh: refresh, fit: fit, place: place, view: view, remember: remember };
})();
