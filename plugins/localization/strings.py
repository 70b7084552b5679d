"""Interface strings written by Python code (feed titles, calendar names), extracted into
the theme's catalog together with the templates' strings (see `babel.cfg`) and translated
with `localization.translate`. They are marked `N_`, not `_`, which marks the messages for
contributors (`content_model.messages`), a catalog of its own."""


def N_(message: str) -> str:
    """Marks a string for extraction; `translate` looks it up in a language."""
    return message


NEWS = N_("Noticias de la red")
THIS_WEEK = N_("Esta semana en la red")
AGENDA = N_("Agenda")
NOT_IN_THIS_COPY = N_("No está en esta copia sin conexión")
