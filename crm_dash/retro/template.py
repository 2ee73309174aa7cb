"""The retrospective's checklist: groups and items, versioned.

Items are code (stable ids such as ``goal.time_bound``); their texts are in the catalogs
(``retro.item.<id>``, ``retro.item.<id>.help``, ``retro.group.<group>``), German and English.
Each retrospective stores the template version it was started with, so a later template (a new
entry in :data:`TEMPLATES`) never rewrites an old retrospective: its items stay those of its
version. The topics follow the regular CRM retrospective of good practice: origin, integration
and management, the goal, introduction and training, acceptance, after go-live, data quality and
the internal CRM expert.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The version new retrospectives start with.
TEMPLATE_VERSION = 1

#: Topic groups in the order the checklist shows them.
GROUPS: tuple[str, ...] = (
    "origin", "integration", "goal", "training", "acceptance", "after_golive", "data_quality",
    "crm_expert",
)


@dataclass(frozen=True)
class TemplateItem:
    """One checklist item: its stable id and group; ``evidence`` when the data can speak to it."""

    id: str
    group: str
    evidence: bool = False

    @property
    def title_key(self) -> str:
        return f"retro.item.{self.id}"

    @property
    def help_key(self) -> str:
        return f"retro.item.{self.id}.help"


def _items(spec: dict[str, tuple[str, ...]], with_evidence: frozenset[str]
           ) -> tuple[TemplateItem, ...]:
    items = []
    for group, names in spec.items():
        for name in names:
            item_id = f"{group}.{name}"
            items.append(TemplateItem(item_id, group, item_id in with_evidence))
    return tuple(items)


_V1_EVIDENCE = frozenset({
    "integration.management_uses", "integration.roadshow", "goal.time_bound",
    "training.kickoff", "training.regular", "training.everyone", "training.key_users",
    "training.onboarding", "acceptance.productive_share", "after_golive.idle_licences",
    "data_quality.pipeline_hygiene", "data_quality.roster_complete",
    "data_quality.integration_accounts",
})

_V1 = _items({
    "origin": ("goal_known", "responsibility", "communication", "consequences_known", "results"),
    "integration": ("management_matter", "management_uses", "areas", "connections", "roadshow"),
    "goal": ("time_bound", "needs", "benefit_people", "benefit_company", "obstacles"),
    "training": ("kickoff", "regular", "everyone", "key_users", "onboarding"),
    "acceptance": ("productive_share", "fits_work", "feedback", "no_shadow_lists"),
    "after_golive": ("kpis", "teething", "improvement", "successes_shared", "idle_licences"),
    "data_quality": ("pipeline_hygiene", "roster_complete", "integration_accounts",
                     "capture_rules"),
    "crm_expert": ("named", "bridge", "documentation", "system_links"),
}, _V1_EVIDENCE)

#: Every template version ever shipped. Never change a shipped version: add a new one.
TEMPLATES: dict[int, tuple[TemplateItem, ...]] = {1: _V1}


def template_items(version: int = TEMPLATE_VERSION) -> tuple[TemplateItem, ...]:
    """The items of template ``version``, in checklist order; a version this crm-dash does not
    know is a :class:`~crm_dash.retro.store.RetroError`."""
    try:
        return TEMPLATES[version]
    except KeyError:
        from crm_dash.retro.store import RetroError  # the store imports this module

        # A retrospective saved by a newer crm-dash: a page meets it, so it is worded.
        raise RetroError.says("error.retro.unknown_template", version=str(version)) from None


def item_ids(version: int = TEMPLATE_VERSION) -> tuple[str, ...]:
    """The item ids of template ``version``, in checklist order."""
    return tuple(item.id for item in template_items(version))


def items_by_group(version: int = TEMPLATE_VERSION) -> dict[str, list[TemplateItem]]:
    """``{group: [items]}`` of template ``version``, groups in :data:`GROUPS` order."""
    grouped: dict[str, list[TemplateItem]] = {g: [] for g in GROUPS}
    for item in template_items(version):
        grouped[item.group].append(item)
    return {g: items for g, items in grouped.items() if items}


def template_item(item_id: str, version: int = TEMPLATE_VERSION) -> TemplateItem:
    """The item ``item_id`` of template ``version``."""
    for item in template_items(version):
        if item.id == item_id:
            return item
    raise KeyError(item_id)
