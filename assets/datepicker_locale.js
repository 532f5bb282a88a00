// The date picker's month and day names in the page's language. dcc.DatePickerRange (Dash 4)
// formats them with the date-fns locale it finds in window.dateFns.locale, matched against the
// *browser's* languages, else the first one loaded; a page in English on a Chinese browser (or
// the reverse) would get the wrong one. So window.dateFns is an accessor: it keeps what the
// vendored locale script (_vendor/date-fns-4.4.0-zh-CN.min.js) stores, and hands the picker the
// Chinese locale only while the page shown is in Chinese (English: date-fns' own default).
(function () {
  "use strict";
  let stored = window.dateFns || {};

  function pageLang() {
    const root = document.getElementById("root");
    const shell = root && root.firstElementChild;
    const lang = (shell && shell.getAttribute("lang")) || document.documentElement.lang || "";
    return lang.toLowerCase().startsWith("zh") ? "zh" : "en";
  }

  Object.defineProperty(window, "dateFns", {
    configurable: true,
    get() {
      const locales = (stored && stored.locale) || {};
      const shown = pageLang() === "zh" && locales.zhCN ? { zhCN: locales.zhCN } : {};
      return Object.assign({}, stored, { locale: shown });
    },
    set(value) {
      stored = value || {};
    },
  });
})();
