"""frontend/renderer.py writes select widgets in Python: the same markup as Django's own templates, blank
lines aside."""

from django import forms
from django.forms.renderers import DjangoTemplates


class Choices(forms.Form):
    one = forms.ChoiceField(
        choices=[("", "Any"), ("x", "X & <y>"), ("Group", [("g1", "G1"), ("g2", "G2")])],
        initial="g1",
        widget=forms.Select(attrs={"class": "pick", "data-htmx": True, "hidden": False}),
    )
    many = forms.MultipleChoiceField(choices=[(1, "one"), (2, "two")], initial=[2], required=False)
    maybe = forms.NullBooleanField()


def lines(html: str) -> list[str]:
    return [line.strip() for line in html.splitlines() if line.strip()]


def test_select_widgets_render_as_djangos_own_templates_do():
    ours, djangos = Choices(), Choices(renderer=DjangoTemplates())
    for name in ours.fields:
        assert lines(str(ours[name])) == lines(str(djangos[name]))


def test_an_option_is_escaped_selected_and_grouped():
    html = str(Choices()["one"])
    assert '<option value="x">X &amp; &lt;y&gt;</option>' in html
    assert '<option value="g1" selected>G1</option>' in html
    assert '<optgroup label="Group">' in html
    assert 'class="pick" data-htmx' in html
    assert "hidden" not in html
