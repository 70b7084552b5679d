// Runs Minga's search engine (theme/static/js/search.js) with lunr.js in node, over the
// search data the build wrote: `node search_node.js VENDOR SEARCH_JS < request.json`.
// request: {"manifests": {"es": "/abs/search/es/index-….js", …}, "queries": [["es", "agua"], …],
//           "show": 10}  (as the search page does: the store entries of the first `show`
//           results, and the facets, are loaded too)
// answer: [{"results": [[ref, score], …] or "error", "entries": […], "loaded": [files newly
//           loaded, in order]}, …]
const fs = require("fs");
const vm = require("vm");
const path = require("path");

const [vendor, searchJs] = process.argv.slice(2);
globalThis.lunr = require(path.join(vendor, "lunr.min.js"));
require(path.join(vendor, "lunr.stemmer.support.min.js"))(globalThis.lunr);
for (const lang of ["es", "pt", "fr"]) require(path.join(vendor, `lunr.${lang}.min.js`))(globalThis.lunr);
vm.runInThisContext(fs.readFileSync(searchJs, "utf8"));

let loaded = [];
const load = (file) =>
  new Promise((resolve) => {
    vm.runInThisContext(fs.readFileSync(file, "utf8"));
    loaded.push(file);
    resolve();
  });
const engine = MingaSearch.engine(() => globalThis.lunr, load);
const request = JSON.parse(fs.readFileSync(0, "utf8"));

(async () => {
  const answers = [];
  for (const [lang, text] of request.queries) {
    loaded = [];
    try {
      const language = await engine.open(lang, request.manifests[lang]);
      const results = await language.search(text);
      let entries = [];
      let facets = [];
      if (request.show) {
        const shown = results.slice(0, request.show).map((r) => Number(r.ref));
        entries = await language.entries(shown);
        if (request.facets) {
          const all = await language.facets();
          facets = shown.map((ref) => [all.orgs[all.org[ref]], all.topic[ref].map((t) => all.topics[t])]);
        }
      }
      answers.push({ results: results.map((r) => [Number(r.ref), r.score]), entries, facets, loaded });
    } catch (error) {
      answers.push({ results: `${error.name}: ${error.message}`, loaded });
    }
  }
  process.stdout.write(JSON.stringify(answers));
})();
