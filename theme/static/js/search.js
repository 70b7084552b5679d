/* Minga's search, in the browser: lunr.js over index shards loaded as a query needs them.
 *
 * The build (plugins/search) writes, per content language, a manifest and small script
 * files (term shards, a store of results, facets, the vocabulary), each calling
 * MingaSearch.receive(name, data): loaded with <script>, they work from a server and from
 * disk. A query loads the shards holding its terms, and lunr.js runs on an index made of
 * just those terms, which ranks exactly like the whole index (see plugins/search/shards.py).
 *
 * Nothing is loaded before the reader focuses the search box or opens a search address.
 * The engine (MingaSearch.engine) needs no page: the tests run it in node.
 */
(function (root) {
  "use strict";

  var received = Object.create(null);

  /* Accents off and emoji out, as plugins/search/analysis.py `fold` does. */
  function fold(text) {
    return text
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .normalize("NFC")
      .replace(/[\ud800-\udbff][\udc00-\udfff]/g, " ")
      .replace(/[\ud800-\udfff]/g, " ");
  }

  /* The index's pipeline, as one function registered under the name the index gives it:
   * the language's trimmer, stop words (also folded), stemmer; or, for a language with no
   * stemmer ("minga-plain"), a trimmer of what is not a letter or a digit. */
  function registerPipeline(lunr, name, folded) {
    if (lunr.Pipeline.registeredFunctions[name]) return lunr.Pipeline.registeredFunctions[name];
    var lang = name.slice("minga-".length);
    var steps;
    if (lang === "plain") {
      steps = [function (token) {
        return token.update(function (s) {
          return s.replace(/^[^\p{L}\p{N}]+/u, "").replace(/[^\p{L}\p{N}]+$/u, "");
        });
      }];
    } else {
      var l = lang === "en" ? lunr : lunr[lang];
      steps = [l.trimmer, lunr.generateStopWordFilter(folded), l.stopWordFilter, l.stemmer];
    }
    var pipeline = function (token, i, tokens) {
      for (var s = 0; s < steps.length; s++) {
        token = steps[s](token, i, tokens);
        if (!token || token.toString() === "") return undefined;
      }
      return token;
    };
    lunr.Pipeline.registerFunction(pipeline, name);
    return pipeline;
  }

  /* The first position in sorted `list` whose item is greater than `value`. */
  function upperBound(list, value) {
    var lo = 0, hi = list.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (list[mid] <= value) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  /* One language's search data, loaded piece by piece. `load(url)` runs a script and
   * resolves when it has run; `base` is the folder of the manifest. */
  function Language(lunr, manifest, base, load) {
    this.lunr = lunr;
    this.manifest = manifest;
    this.base = base;
    this.load = load;
    this.pipeline = registerPipeline(lunr, manifest.pipeline, manifest.stop);
    this.terms = Object.create(null); // term -> [index number, postings per field]
    this.shards = Object.create(null); // shard name -> promise
    this.loaded = []; // the names of the data files loaded, in order
  }

  Language.prototype.file = function (name) {
    var self = this;
    if (!(name in self.shards)) {
      self.shards[name] = self.load(self.base + name + ".js").then(function () {
        self.loaded.push(name);
        var data = received[self.manifest.lang + "/" + name];
        if (data === undefined) throw new Error("no search data in " + name);
        return data;
      }, function (error) {
        delete self.shards[name]; // a link that came back may load it next time
        throw error;
      });
    }
    return self.shards[name];
  };

  /* The name of a term shard ("t") or a store file ("d") by its number. */
  Language.prototype.numbered = function (kind, number) {
    return kind + "-" + this.manifest.group + "-" + number;
  };

  Language.prototype.shardOf = function (term) {
    return this.numbered("t", Math.max(0, upperBound(this.manifest.shards, term) - 1));
  };

  /* The shards holding every term from `low` up to terms starting with `prefix`. */
  Language.prototype.shardsFrom = function (prefix) {
    var self = this, shards = this.manifest.shards, names = [];
    var start = Math.max(0, upperBound(shards, prefix) - 1);
    var end = upperBound(shards, prefix + "\uffff");
    for (var n = start; n < end; n++) names.push(self.numbered("t", n));
    return names;
  };

  Language.prototype.loadShards = function (names) {
    var self = this;
    return Promise.all(names.map(function (name) {
      return self.file(name).then(function (records) {
        for (var r = 0; r < records.length; r++) self.terms[records[r][0]] = records[r];
      });
    }));
  };

  Language.prototype.vocabulary = function () {
    var self = this;
    if (!self.vocabularySet) {
      self.vocabularySet = self.file(self.manifest.vocabulary).then(function (text) {
        var list = text ? text.split(" ") : [];
        return self.lunr.TokenSet.fromArray(list);
      });
    }
    return self.vocabularySet;
  };

  /* The query's clauses, parsed from folded text, without the clauses that the pipeline
   * leaves with no term (a stop word): lunr.js would fail on "+de" otherwise. */
  Language.prototype.parse = function (text) {
    var lunr = this.lunr, fields = this.manifest.fields, pipeline = this.pipeline;
    var query = new lunr.Query(fields);
    new lunr.QueryParser(fold(text), query).parse();
    var kept = [];
    query.clauses.forEach(function (clause) {
      clause.terms = clause.usePipeline ? runString(lunr, pipeline, clause.term) : [clause.term];
      if (clause.terms.length) kept.push(clause);
    });
    return kept;
  };

  function pipelineOf(lunr, fn) {
    var pipeline = new lunr.Pipeline();
    pipeline.add(fn);
    return pipeline;
  }

  function runString(lunr, fn, text) {
    return pipelineOf(lunr, fn).runString(text);
  }

  /* Load what the query's clauses need: each term's shard; for a trailing wildcard, the
   * shards of its prefix; for a fuzzy term or a leading wildcard, the vocabulary first. */
  Language.prototype.prepare = function (clauses) {
    var self = this, lunr = self.lunr, direct = [], open = [];
    clauses.forEach(function (clause) {
      clause.terms.forEach(function (term) {
        var star = term.indexOf("*");
        if (clause.editDistance || star === 0) open.push({ term: term, editDistance: clause.editDistance });
        else if (star > 0) Array.prototype.push.apply(direct, self.shardsFrom(term.slice(0, star)));
        else direct.push(self.shardOf(term));
      });
    });
    var expanded = !open.length ? Promise.resolve([]) : self.vocabulary().then(function (all) {
      var names = [];
      open.forEach(function (clause) {
        var set = clause.editDistance
          ? lunr.TokenSet.fromFuzzyString(clause.term, clause.editDistance)
          : lunr.TokenSet.fromString(clause.term);
        all.intersect(set).toArray().forEach(function (term) { names.push(self.shardOf(term)); });
      });
      return names;
    });
    return expanded.then(function (names) {
      var unique = direct.concat(names).filter(function (n, i, list) { return list.indexOf(n) === i; });
      return self.loadShards(unique);
    });
  };

  /* A lunr index over the terms loaded so far: their postings, and their entries in each
   * document's field vectors (in the whole index's term order, so sums add up alike). */
  Language.prototype.index = function (negated) {
    var lunr = this.lunr, fields = this.manifest.fields;
    var invertedIndex = Object.create(null), vectors = Object.create(null);
    if (negated) { // lunr lists every document for a query of exclusions only
      for (var d = 0; d < this.manifest.count; d++) {
        for (var f = 0; f < fields.length; f++) vectors[fields[f] + "/" + d] = [];
      }
    }
    var words = Object.keys(this.terms);
    for (var w = 0; w < words.length; w++) {
      var record = this.terms[words[w]], number = record[1];
      var posting = { _index: number };
      for (var k = 0; k < fields.length; k++) {
        var list = record[2 + k], docs = {}, doc = 0;
        for (var p = 0; p < list.length; p += 2) {
          doc += list[p];
          docs[doc] = {};
          var ref = fields[k] + "/" + doc;
          (vectors[ref] || (vectors[ref] = [])).push([number, list[p + 1] / 1000]);
        }
        posting[fields[k]] = docs;
      }
      invertedIndex[words[w]] = posting;
    }
    var fieldVectors = Object.create(null);
    Object.keys(vectors).forEach(function (ref) {
      var pairs = vectors[ref].sort(function (a, b) { return a[0] - b[0]; }), flat = [];
      for (var i = 0; i < pairs.length; i++) flat.push(pairs[i][0], pairs[i][1]);
      fieldVectors[ref] = new lunr.Vector(flat);
    });
    return new lunr.Index({
      invertedIndex: invertedIndex,
      fieldVectors: fieldVectors,
      tokenSet: lunr.TokenSet.fromArray(words.sort()),
      fields: fields,
      pipeline: pipelineOf(lunr, this.pipeline),
    });
  };

  /* lunr's results for `text`: [{ref, score, terms}], best first (ties: lowest ref). */
  Language.prototype.search = function (text) {
    var self = this, lunr = self.lunr, clauses;
    try {
      clauses = self.parse(text);
    } catch (error) {
      return Promise.reject(error);
    }
    if (!clauses.length) return Promise.resolve([]);
    return self.prepare(clauses).then(function () {
      var negated = clauses.every(function (c) { return c.presence === lunr.Query.presence.PROHIBITED; });
      var index = self.index(negated);
      var results = index.query(function (query) {
        self.parse(text).forEach(function (clause) { delete clause.terms; query.clause(clause); });
      });
      return results.map(function (r) {
        return { ref: r.ref, score: r.score, terms: Object.keys(r.matchData.metadata) };
      }).sort(function (a, b) { return b.score - a.score || a.ref - b.ref; });
    });
  };

  /* What a result shows: [address, title, org, date, snippet], from the store. */
  Language.prototype.entries = function (refs) {
    var self = this, size = self.manifest.storeSize;
    return Promise.all(refs.map(function (ref) {
      return self.file(self.numbered("d", Math.floor(ref / size))).then(function (rows) {
        return rows[ref % size];
      });
    }));
  };

  Language.prototype.facets = function () {
    return this.file(this.manifest.facets);
  };

  Language.prototype.hasFacets = function () {
    return this.loaded.indexOf(this.manifest.facets) !== -1;
  };

  /* The term a word of a result's text gives, to mark the words that matched. */
  Language.prototype.termOf = function (word) {
    var terms = runString(this.lunr, this.pipeline, fold(word).toLowerCase());
    return terms.length ? terms[0] : null;
  };

  /* The engine: languages by code, each opened from its manifest's address. */
  function engine(lunr, load) {
    var languages = Object.create(null);
    return {
      open: function (lang, manifestUrl) {
        if (!languages[lang]) {
          var base = manifestUrl.slice(0, manifestUrl.lastIndexOf("/") + 1);
          var name = manifestUrl.slice(base.length).replace(/\.js$/, "");
          languages[lang] = load(manifestUrl).then(function () {
            var manifest = received[lang + "/" + name];
            if (!manifest) throw new Error("no search index at " + manifestUrl);
            var language = new Language(lunr(), manifest, base, load);
            language.loaded.push(name);
            return language;
          }, function (error) {
            delete languages[lang];
            throw error;
          });
        }
        return languages[lang];
      },
    };
  }

  root.MingaSearch = {
    receive: function (name, data) { received[name] = data; },
    fold: fold,
    engine: engine,
  };

  if (typeof document !== "undefined") {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", searchPage);
    else searchPage();
  }

  /* ---- The search page ------------------------------------------------------------- */

  var PAGE_SIZE = 10;

  function loadScript(url) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = url;
      script.onload = function () { resolve(); };
      script.onerror = function () {
        script.remove();
        reject(new Error("could not load " + url));
      };
      document.head.appendChild(script);
    });
  }

  function once(load) {
    var loading = Object.create(null);
    return function (url) {
      if (!loading[url]) {
        loading[url] = load(url).catch(function (error) {
          delete loading[url];
          throw error;
        });
      }
      return loading[url];
    };
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) {
      return key in values ? values[key] : all;
    });
  }

  function searchPage() {
    var form = document.getElementById("search");
    if (!form || !window.Promise || !String.prototype.normalize) return;
    var box = form.elements.q, langs = form.elements.lang;
    var orgs = form.elements.org, topics = form.elements.topic;
    var status = document.getElementById("search-status");
    var list = document.getElementById("search-results");
    var more = document.getElementById("search-more");
    var pageLang = document.documentElement.lang;
    var messages = form.dataset;
    var load = once(loadScript);
    var searchEngine = engine(function () { return window.lunr; }, load);
    var current = null; // the search being shown: its results and how many are shown
    var numbers = new Intl.NumberFormat(pageLang);
    var dates = new Intl.DateTimeFormat(pageLang, { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });

    Array.prototype.forEach.call(document.querySelectorAll(".needs-script"), function (el) { el.hidden = true; });
    Array.prototype.forEach.call(orgs.options, function (o) { o.dataset.label = o.text; });
    Array.prototype.forEach.call(topics.options, function (o) { o.dataset.label = o.text; });

    function options() {
      return Array.prototype.filter.call(langs.options, function (o) { return o.dataset.index; });
    }

    function chosen() {
      return langs.value === "all" ? options() : options().filter(function (o) { return o.value === langs.value; });
    }

    /* lunr.js and the language's stemmer, in order, then the index's manifest. */
    function open(option) {
      var names = option.dataset.libraries.split(" ");
      var ready = names.reduce(function (previous, name) {
        return previous.then(function () { return load(messages.vendor + name); });
      }, Promise.resolve());
      return ready.then(function () { return searchEngine.open(option.value, option.dataset.index); });
    }

    function say(text) { status.textContent = text; }

    function failure(error) {
      if (error && error.name === "QueryParseError") return fill(messages.invalid, { query: box.value });
      return location.protocol === "file:" ? messages.notHere : messages.failed;
    }

    /* Keep the query in the address, so a search can be shared and reloaded. */
    function remember() {
      var params = new URLSearchParams();
      ["q", "lang", "org", "topic"].forEach(function (name) {
        if (form.elements[name].value) params.set(name, form.elements[name].value);
      });
      try {
        history.replaceState(null, "", "?" + params.toString());
      } catch (error) { /* some browsers refuse it from disk; the search still runs */ }
    }

    function run() {
      var text = box.value.trim();
      remember();
      list.textContent = "";
      more.hidden = true;
      if (!text) { say(""); current = null; return; }
      say(messages.searching);
      var asked = { text: text };
      current = asked;
      Promise.all(chosen().map(function (option) {
        return open(option).then(function (language) {
          return language.search(text).then(function (found) {
            return found.map(function (r) {
              return { language: language, option: option, ref: Number(r.ref), score: r.score, terms: r.terms };
            });
          });
        }).catch(function (error) { return { error: error }; });
      })).then(function (lists) {
        if (current !== asked) return;
        // All languages: those this copy lacks are left out; one language: its error.
        var found = lists.filter(function (l) { return !l.error; });
        if (!found.length) throw lists[0].error;
        asked.all = [].concat.apply([], found).sort(function (a, b) { return b.score - a.score; });
        // The filters' data is fetched for a filter chosen, or once the reader turns to the
        // filters (`counted`): a plain search does not pay for it.
        var facets = orgs.value || topics.value || asked.all.every(function (r) { return r.language.hasFacets(); });
        return facets ? withFacets(asked.all) : null;
      }).then(function () {
        if (current !== asked) return;
        asked.results = filter(asked.all);
        asked.shown = 0;
        var count = asked.results.length;
        var rule = new Intl.PluralRules(pageLang).select(count) === "one" ? messages.foundOne : messages.foundOther;
        return show(asked).then(function () { // said once the results are there to read
          if (current !== asked) return;
          say(count ? fill(rule, { count: numbers.format(count), query: text }) : fill(messages.none, { query: text }));
        });
      }).catch(function (error) {
        if (current === asked) say(failure(error));
      });
    }

    /* Each result's org and topics, from its language's facets file. */
    function withFacets(results) {
      return Promise.all(results.map(function (r) {
        if (r.topics) return null;
        return r.language.facets().then(function (facets) {
          r.org = facets.orgs[facets.org[r.ref]];
          r.topics = facets.topic[r.ref].map(function (t) { return facets.topics[t]; });
        });
      }));
    }

    /* The results of the chosen org and topic; each option's count beside its name once
     * the results' facets are there (without them, the names alone). */
    function filter(results) {
      var org = orgs.value, topic = topics.value;
      var known = results.every(function (r) { return r.topics; });
      var byOrg = Object.create(null), byTopic = Object.create(null);
      if (known) {
        results.forEach(function (r) {
          if (!topic || r.topics.indexOf(topic) !== -1) byOrg[r.org] = (byOrg[r.org] || 0) + 1;
          if (!org || r.org === org) r.topics.forEach(function (t) { byTopic[t] = (byTopic[t] || 0) + 1; });
        });
      }
      label(orgs, known && byOrg);
      label(topics, known && byTopic);
      if (!org && !topic) return results.slice();
      return results.filter(function (r) {
        return (!org || r.org === org) && (!topic || r.topics.indexOf(topic) !== -1);
      });
    }

    function label(select, counts) {
      Array.prototype.forEach.call(select.options, function (o) {
        o.text = o.value && counts ? o.dataset.label + " (" + numbers.format(counts[o.value] || 0) + ")" : o.dataset.label;
      });
    }

    /* The reader turns to a filter: the counts of the results shown, by org and by topic. */
    function counted() {
      var asked = current;
      if (!asked || !asked.all || asked.all.every(function (r) { return r.topics; })) return;
      withFacets(asked.all).then(function () {
        if (current === asked) filter(asked.all);
      }).catch(function () { /* the names stay without counts; choosing one searches again */ });
    }

    /* The next page of results, from the store. */
    function show(asked) {
      var page = asked.results.slice(asked.shown, asked.shown + PAGE_SIZE);
      return Promise.all(page.map(function (r) {
        return r.language.entries([r.ref]).then(function (rows) { return rows[0]; });
      })).then(function (rows) {
        if (current !== asked) return;
        var firstNew = null;
        rows.forEach(function (row, i) {
          var item = result(page[i], row);
          firstNew = firstNew || item;
          list.appendChild(item);
        });
        asked.shown += page.length;
        more.hidden = asked.shown >= asked.results.length;
        if (asked.shown > PAGE_SIZE && firstNew) firstNew.querySelector("a").focus();
      });
    }

    function result(r, row) {
      var item = document.createElement("li");
      var heading = document.createElement("h2");
      var link = document.createElement("a");
      link.href = form.dataset.root + row[0];
      link.lang = r.option.value;
      marked(link, row[1], r);
      heading.appendChild(link);
      var meta = document.createElement("p");
      meta.className = "meta";
      var date = row[3] ? dates.format(Date.UTC(+row[3].slice(0, 4), +row[3].slice(5, 7) - 1, +row[3].slice(8, 10))) : "";
      meta.textContent = [row[2], date, r.option.text].filter(Boolean).join(" · ");
      var snippet = document.createElement("p");
      snippet.lang = r.option.value;
      marked(snippet, row[4], r);
      item.appendChild(heading);
      item.appendChild(meta);
      if (row[4]) item.appendChild(snippet);
      return item;
    }

    /* `text` into `element`, the words that matched the query in <mark>. */
    function marked(element, text, r) {
      text.split(/(\s+)/).forEach(function (piece) {
        var term = /\S/.test(piece) ? r.language.termOf(piece) : null;
        if (term && r.terms.indexOf(term) !== -1) {
          // The word marked, not the punctuation around it: «Aguacatal», → «<mark>…</mark>»,
          var parts = /^([^\p{L}\p{N}]*)([\s\S]*?)([^\p{L}\p{N}]*)$/u.exec(piece);
          var mark = document.createElement("mark");
          mark.textContent = parts[2];
          element.appendChild(document.createTextNode(parts[1]));
          element.appendChild(mark);
          element.appendChild(document.createTextNode(parts[3]));
        } else {
          element.appendChild(document.createTextNode(piece));
        }
      });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      run();
    });
    [langs, orgs, topics].forEach(function (select) {
      select.addEventListener("change", function () { if (box.value.trim()) run(); });
    });
    [orgs, topics].forEach(function (select) {
      select.addEventListener("focus", counted);
      select.addEventListener("pointerdown", counted);
    });
    more.addEventListener("click", function () { if (current && current.results) show(current); });
    box.addEventListener("focus", function () {
      if (langs.value !== "all") chosen().forEach(function (o) { open(o).catch(function () {}); });
    }, { once: true });

    var params = new URLSearchParams(location.search);
    ["lang", "org", "topic"].forEach(function (name) {
      var value = params.get(name);
      if (value !== null && Array.prototype.some.call(form.elements[name].options, function (o) { return o.value === value; })) {
        form.elements[name].value = value;
      }
    });
    if (params.get("q")) {
      box.value = params.get("q");
      run();
    }
  }
})(typeof window !== "undefined" ? window : globalThis);
