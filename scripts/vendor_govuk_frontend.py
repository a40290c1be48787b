#!/usr/bin/env python3
"""Vendor GOV.UK Frontend's stylesheet into core/public/assets, for the public pages (/support/…).

    npm install --prefix /tmp/gf govuk-frontend@6.3.0 sass@1.108.2
    scripts/vendor_govuk_frontend.py /tmp/gf/node_modules

compiles the release's own Sass with two settings and writes core/public/assets/govuk-frontend.css,
plus govuk-frontend-LICENSE (the npm tarball carries no licence file; its package.json says MIT, and
the text written is the MIT licence of the alphagov/govuk-frontend repository). Run again only to
change the release; the result is committed.

- `$govuk-assets-path`: where the pages serve the assets (core.public.routes.ASSETS_PATH).
- `$govuk-font-family: arial, sans-serif`: the GDS Transport font is cut for exclusive use on
  gov.uk, and the Design System says a service on another domain (a police force's) uses Helvetica
  or Arial. Its font files are not vendored, and for the same reason neither are the crown
  favicons, the crest or the manifest that names them (the GOV.UK brand belongs to GOV.UK). The one
  image the stylesheet still names, the crest behind the footer's Crown copyright mark, is in
  LEFT_OUT: no page draws that mark.

No JavaScript is vendored: the pages work without it (ARCHITECTURE.md, "Public pages").
govuk-frontend-jinja 4.1 (the macros, from PyPI) was checked against GOV.UK Frontend 6.3.0, so
that is the release pinned here.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

RELEASE = "6.3.0"
OUT = Path(__file__).resolve().parent.parent / "core" / "public" / "assets"
ASSETS_URL = "/support/assets/"  # core.public.routes.ASSETS_PATH + "/"
STYLESHEET = "govuk-frontend.css"
LICENSE = "govuk-frontend-LICENSE"
# Named by the stylesheet, never drawn by a public page (see above).
LEFT_OUT = {"images/govuk-crest.svg"}

SETTINGS = f"""@use "govuk-frontend/dist/govuk" with (
  $govuk-assets-path: "{ASSETS_URL}",
  $govuk-font-family: (arial, sans-serif)
);
"""

MIT = """The MIT License (MIT)

Copyright (C) 2017 Crown Copyright (Government Digital Service)

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies
of the Software, and to permit persons to whom the Software is furnished to do
so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""


def named_assets(css: str) -> set[str]:
    """The files under the assets path that a stylesheet asks for."""
    return {m.group(1) for m in re.finditer(rf'url\("?{re.escape(ASSETS_URL)}([^")]+)"?\)', css)}


def main(node_modules: Path) -> None:
    package = json.loads((node_modules / "govuk-frontend" / "package.json").read_text())
    if package["version"] != RELEASE or package["license"] != "MIT":
        sys.exit(f"expected govuk-frontend {RELEASE} (MIT), found {package['version']} ({package['license']})")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "public.scss"
        source.write_text(SETTINGS)
        compiled = Path(tmp) / STYLESHEET
        subprocess.run(["node", str(node_modules / "sass" / "sass.js"), "--style=compressed", "--no-source-map",
                        f"--load-path={node_modules}", str(source), str(compiled)], check=True)
        # Sass marks a compressed stylesheet that holds non-ASCII text with a byte-order mark; the
        # header below goes first, so say the encoding the standard way instead.
        css = compiled.read_text(encoding="utf-8").removeprefix("\ufeff")
    if "Transport" in css:
        sys.exit("the compiled stylesheet still names the GDS Transport font")
    unexpected = named_assets(css) - LEFT_OUT
    if unexpected:
        sys.exit(f"the stylesheet names assets this script does not vendor: {sorted(unexpected)}")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / STYLESHEET).write_text(f'@charset "UTF-8";/* GOV.UK Frontend {RELEASE}, MIT licence: {LICENSE} */\n{css}',
                                  encoding="utf-8")
    (OUT / LICENSE).write_text(f"GOV.UK Frontend {RELEASE} (npm: govuk-frontend), licence: MIT\n\n{MIT}")
    print(f"wrote {OUT / STYLESHEET} ({len(css) // 1024} KB) and {OUT / LICENSE}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
