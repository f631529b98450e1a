/**
 * The IDE's own script and style, served as /graphql/ide/ide.js and ide.css (the page's
 * Content-Security-Policy allows no inline script). Plain browser JavaScript: it mounts GraphiQL
 * (the UMD build of the installed package, globals React, ReactDOM and GraphiQL) and a token
 * picker above it. Written without template literals so that this TypeScript string needs no escapes.
 */
export const IDE_SCRIPT = String.raw`'use strict';
(function () {
  var config = JSON.parse(document.getElementById('ide-config').textContent);
  var h = React.createElement;
  var fetcher = GraphiQL.createFetcher({ url: config.endpoint, enableIncrementalDelivery: false });
  var state = {
    headers: JSON.stringify(config.defaultHeaders, null, 2),
    query: config.examples[config.defaultRole],
    examples: Object.keys(config.examples).map(function (role) { return config.examples[role]; }),
    subjects: { tenant: [], contractor: [], builder: [], bailiff: [] },
  };
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));

  function render() {
    root.render(h(GraphiQL, {
      fetcher: fetcher,
      headers: state.headers,
      query: state.query,
      defaultEditorToolsVisibility: 'headers',
      // Tokens stay out of localStorage.
      shouldPersistHeaders: false,
      onEditQuery: function (query) { state.query = query; },
      onEditHeaders: function (headers) { state.headers = headers; },
    }));
  }

  var role = document.getElementById('ide-role');
  var subject = document.getElementById('ide-subject');
  var purpose = document.getElementById('ide-purpose');
  var use = document.getElementById('ide-use');
  var status = document.getElementById('ide-status');

  function option(value, label) {
    var o = document.createElement('option');
    o.value = value;
    o.textContent = label;
    return o;
  }

  function showStatus(text) { status.textContent = text; }

  config.roles.forEach(function (r) { role.appendChild(option(r, r)); });
  config.purposes.forEach(function (p) { purpose.appendChild(option(p, p)); });
  role.value = config.defaultRole;

  function fillSubjects() {
    var r = role.value;
    subject.replaceChildren();
    var list = state.subjects[r];
    subject.hidden = !list;
    purpose.hidden = r !== 'staff';
    if (list) list.forEach(function (s) { subject.appendChild(option(s.id, s.label)); });
  }

  function mint(body) {
    return fetch(config.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then(function (res) {
      return res.json().then(function (json) {
        if (!res.ok) throw new Error(json.errors && json.errors[0] ? json.errors[0].message : 'HTTP ' + res.status);
        return json.token;
      });
    });
  }

  function loadSubjects() {
    return mint({ role: 'staff', purposes: [config.subjectsPurpose] }).then(function (token) {
      return fetch(config.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token, 'x-purpose': config.subjectsPurpose },
        body: JSON.stringify({ query: config.subjectsQuery }),
      });
    }).then(function (res) { return res.json(); }).then(function (body) {
      var data = body.data || {};
      (data.organizations || []).forEach(function (org) {
        var r = String(org.kind || '').toLowerCase();
        if (state.subjects[r]) state.subjects[r].push({ id: org.id, label: (org.name || org.id) + ' (' + org.id.slice(0, 8) + ')' });
      });
      ((data.tenants && data.tenants.edges) || []).forEach(function (edge) {
        state.subjects.tenant.push({ id: edge.node.id, label: edge.node.id });
      });
      fillSubjects();
    });
  }

  function choose() {
    var r = role.value;
    var body = { role: r };
    if (r === 'tenant') body.tenantId = subject.value;
    else if (r === 'staff') body.purposes = config.purposes;
    else if (r !== 'public') body.orgId = subject.value;
    var headersFor = function (token) {
      var headers = {};
      if (token) headers.Authorization = 'Bearer ' + token;
      if (r === 'staff') headers['X-Purpose'] = purpose.value;
      return JSON.stringify(headers, null, 2);
    };
    var signedIn = r === 'public' ? Promise.resolve(null) : mint(body);
    return signedIn.then(function (token) {
      state.headers = headersFor(token);
      // The example of the new role replaces the query only while the query is still an example.
      if (state.examples.indexOf(state.query) >= 0) state.query = config.examples[r];
      render();
      showStatus(r === 'public' ? 'No token: public data only.' : 'Signed in as ' + r + (body.tenantId || body.orgId ? ' ' + (body.tenantId || body.orgId) : '') + '. Run the query with Ctrl-Enter.');
    }, function (error) { showStatus(error.message); });
  }

  role.addEventListener('change', fillSubjects);
  use.addEventListener('click', function () { choose(); });
  fillSubjects();
  render();

  if (config.canMint) {
    loadSubjects().then(function () { use.disabled = false; showStatus('Pick a role and press Use.'); }, function (error) { showStatus('Could not list the seeded ids: ' + error.message); });
  } else {
    use.disabled = true;
    showStatus(config.cannotMintReason);
  }
})();
`;

export const IDE_STYLE = `html, body { height: 100%; margin: 0; }
body { display: flex; flex-direction: column; font-family: system-ui, sans-serif; }
#ide-picker { display: flex; gap: 0.5rem; align-items: center; padding: 0.4rem 0.8rem; border-bottom: 1px solid #ccc; font-size: 14px; }
#ide-picker strong, #ide-picker label { white-space: nowrap; }
#ide-status { color: #555; }
#graphiql { flex: 1; min-height: 0; }
`;
