"""The checklist template: size, groups, texts in both languages, evidence where promised."""

from __future__ import annotations

import pytest

from crm_dash.i18n import LANGUAGES, catalog
from crm_dash.retro.evidence import EVIDENCE
from crm_dash.retro.store import RetroError
from crm_dash.retro.template import (
    GROUPS,
    TEMPLATE_VERSION,
    TEMPLATES,
    item_ids,
    items_by_group,
    template_item,
    template_items,
)


def test_the_template_has_25_to_40_items_in_the_eight_topics() -> None:
    items = template_items()
    assert 25 <= len(items) <= 40
    assert len(set(item_ids())) == len(items)
    assert set(items_by_group()) == set(GROUPS) == {
        "origin", "integration", "goal", "training", "acceptance", "after_golive",
        "data_quality", "crm_expert"}
    assert all(item.id.startswith(item.group + ".") for item in items)
    assert all(len(group) >= 3 for group in items_by_group().values())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_item_and_group_has_a_title_and_a_short_help_text(lang: str) -> None:
    texts = catalog(lang)
    for group in GROUPS:
        assert texts[f"retro.group.{group}"].strip()
    for item in template_items():
        assert texts[item.title_key].strip()
        help_text = texts[item.help_key]
        # one or two sentences on why it matters
        assert 40 <= len(help_text) <= 260, item.id
        assert help_text.rstrip().endswith("."), item.id


def test_at_least_six_items_speak_from_the_data_and_each_has_its_evidence() -> None:
    with_evidence = {i.id for i in template_items() if i.evidence}
    assert len(with_evidence) >= 6
    assert with_evidence == set(EVIDENCE)
    assert "goal.time_bound" in with_evidence
    assert "training.regular" in with_evidence


def test_versions_are_kept_and_an_unknown_one_is_refused() -> None:
    assert TEMPLATE_VERSION in TEMPLATES
    assert template_item("goal.time_bound").group == "goal"
    with pytest.raises(RetroError, match="no checklist template version"):
        template_items(TEMPLATE_VERSION + 1)
    with pytest.raises(KeyError):
        template_item("no.such_item")
