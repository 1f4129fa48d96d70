"""Server-rendered pages: Jinja2 templates, escaped by default, in the viewer's language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.responses import HTMLResponse

from bot.config import Settings
from bot.i18n import Translator, translator_for
from bot.services.signin import Viewer

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"


class Renderer:
    """Renders a template for a viewer (or a stranger) with the translator as `_` and `t`."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.environment = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=select_autoescape(["html", "svg"], default=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def translator(self, viewer: Viewer | None) -> Translator:
        """The viewer's language, the deployment's default for a stranger."""
        language = viewer.official.locale if viewer else None
        return translator_for(language, self.settings.locale, self.settings.zone)

    def page(
        self, template: str, viewer: Viewer | None, status_code: int = 200, **context: Any
    ) -> HTMLResponse:
        """An HTML response from a template."""
        t = self.translator(viewer)
        context.setdefault("section", "")
        html = self.environment.get_template(template).render(
            t=t, _=t._, n_=t.n_, viewer=viewer, lang=t.locale, **context
        )
        return HTMLResponse(html, status_code=status_code)

    def refusal(self, viewer: Viewer | None, status_code: int = 403) -> HTMLResponse:
        """The plain refusal every page outside a person's scope gets."""
        return self.page("refused.html", viewer, status_code=status_code)
