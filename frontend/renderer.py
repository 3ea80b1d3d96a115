"""How the pages' forms render: through the project's templates (TemplatesSetting), except select widgets.

Django's select template includes two templates per option, and even written in place (one loop) a
filter form's ~60 options of skills and languages took 4-5 ms of a coordinator page's CPU, most of it the
template engine's per-variable work. `FormRenderer` writes select widgets (Select, SelectMultiple,
NullBooleanSelect) in Python instead, the same markup as Django's template (tests/frontend/test_widgets.py
compares them).
"""

from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

SELECT_TEMPLATE = "django/forms/widgets/select.html"


class FormRenderer(TemplatesSetting):
    def render(self, template_name, context, request=None):
        if template_name == SELECT_TEMPLATE:
            return select_html(context["widget"])
        return super().render(template_name, context, request)


def attributes(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html: True gives the bare name, False leaves the attribute out."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def select_html(widget: dict) -> str:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{attributes(widget["attrs"])}>']
    for group_name, options, _ in widget["optgroups"]:
        if group_name:
            parts.append(f'<optgroup label="{conditional_escape(group_name)}">')
        parts.extend(
            f'<option value="{conditional_escape(option["value"])}"{attributes(option["attrs"])}>'
            f"{conditional_escape(option['label'])}</option>"
            for option in options
        )
        if group_name:
            parts.append("</optgroup>")
    parts.append("</select>")
    return mark_safe("\n".join(parts))
