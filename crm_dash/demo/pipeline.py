"""The opportunity pipeline: one snapshot as of the last day of data, as Data Loader extracts it.

Pipeline hygiene follows the owner's adoption: people who work in the CRM keep next steps, close
dates in the future and records fresh; people who barely use it leave open opportunities without a
next step, with close dates in the past, untouched for months and sometimes without an amount.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd

from crm_dash.demo.activity import ActivityPlan, recent_segment
from crm_dash.demo.common import (
    DemoCalendar,
    epoch_ms,
    iso_z,
    new_sf_ids,
    render_csv,
    utc_naive,
)
from crm_dash.demo.roster import LAST_NAMES, SALES_DEPARTMENTS, Person

#: Open stages with their default probability (%) and how common they are in a pipeline.
OPEN_STAGES: tuple[tuple[str, int, int], ...] = (
    ("Prospecting", 10, 18), ("Qualification", 10, 18), ("Needs Analysis", 20, 15),
    ("Value Proposition", 50, 13), ("Id. Decision Makers", 60, 10),
    ("Perception Analysis", 70, 8), ("Proposal/Price Quote", 75, 10),
    ("Negotiation/Review", 90, 8),
)
_PROBABILITY = {stage: prob for stage, prob, _ in OPEN_STAGES} | {
    "Closed Won": 100, "Closed Lost": 0
}
_OWNER_WEIGHT = {
    "Außendienst": 1.0, "Key Account Manager": 1.3, "Innendienst": 0.5,
    "Auftragssachbearbeitung": 0.1, "Teamleitung": 0.6, "Bereichsleitung": 0.15,
    "Geschäftsführung": 0.1,
}
_INDUSTRIES = (
    "Maschinenbau", "Metallbau", "Elektrotechnik", "Logistik", "Haustechnik", "Anlagenbau",
    "Kunststofftechnik", "Feinmechanik", "Automation", "Werkzeugbau", "Medizintechnik",
    "Lebensmittel", "Baustoffe", "Verpackungen", "Fördertechnik", "Landtechnik",
)
_LEGAL_FORMS = ("GmbH", "GmbH", "GmbH", "GmbH & Co. KG", "AG", "KG", "e.K.")
_CITY_ADJECTIVES = (
    "Augsburger", "Münchner", "Kölner", "Nürnberger", "Stuttgarter", "Würzburger", "Hamburger",
    "Bremer", "Düsseldorfer", "Grazer", "Linzer", "Lübecker", "Mössinger", "Fürther",
)
_PRODUCTS = (
    "Hydraulikventile", "Sensoren", "Steuerungseinheiten", "Antriebe", "Förderbänder",
    "Ersatzteilpakete",
)
_SERVICES = (
    "Wartungsvertrag 24 Monate", "Rahmenvertrag", "Retrofit Linie 3", "Schulungspaket",
    "Servicevertrag Premium", "Pilotprojekt",
)
NEXT_STEPS = (
    "Angebot nachfassen", "Termin vor Ort vereinbaren", "Technische Klärung mit Einkauf",
    "Rückruf Geschäftsführung", "Muster zusenden", "Vertragsentwurf prüfen lassen",
    "Demo beim Kunden", "Preisverhandlung vorbereiten", "Referenzbesuch organisieren",
    "Budgetfreigabe abwarten",
)
_LEAD_SOURCES = ("Web", "Messe", "Empfehlung", "Telefonakquise", "Partner", "Bestandskunde")
_DESCRIPTIONS = (
    "Folgeauftrag aus bestehendem Rahmenvertrag.", "Anfrage über die Messe.",
    "Kunde vergleicht mit zwei Wettbewerbern.", "Ersatz der Altanlage geplant.",
)

#: The currency of every amount. Extracts of multi-currency orgs carry ``CURRENCYISOCODE`` on
#: every opportunity; the demo's does too, so an import of the file knows the amounts are euros.
CURRENCY = "EUR"
#: The columns of the Data Loader sample extract, plus ``CURRENCYISOCODE`` where the
#: Opportunity describe lists it (after the forecast category).
DATALOADER_HEADER = (
    "ID", "ISDELETED", "ACCOUNTID", "NAME", "DESCRIPTION", "STAGENAME", "AMOUNT", "PROBABILITY",
    "EXPECTEDREVENUE", "TOTALOPPORTUNITYQUANTITY", "CLOSEDATE", "TYPE", "NEXTSTEP", "LEADSOURCE",
    "ISCLOSED", "ISWON", "FORECASTCATEGORY", "CURRENCYISOCODE", "HASOPPORTUNITYLINEITEM",
    "PRICEBOOKID", "PRICEBOOK2ID", "OWNERID", "CREATEDDATE", "CREATEDBYID", "LASTMODIFIEDDATE",
    "LASTMODIFIEDBYID", "SYSTEMMODSTAMP", "LASTACTIVITYDATE", "FISCALQUARTER", "FISCALYEAR",
    "FISCAL", "ORACLE_ID__C",
)


@dataclass(slots=True)
class Opportunity:
    """One opportunity as of the snapshot."""

    opportunity_id: str
    owner: Person
    account_id: str
    name: str
    stage: str
    amount: float | None
    created_ms: int
    close_date: date
    last_modified_ms: int
    last_activity: date | None
    next_step: str
    type: str
    lead_source: str
    description: str
    created_by: str

    @property
    def is_closed(self) -> bool:
        return self.stage.startswith("Closed")

    @property
    def is_won(self) -> bool:
        return self.stage == "Closed Won"


def _account_names(rng: random.Random, count: int) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        roll = rng.random()
        if roll < 0.65:
            name = f"{rng.choice(LAST_NAMES)} {rng.choice(_INDUSTRIES)} {rng.choice(_LEGAL_FORMS)}"
        elif roll < 0.9:
            name = f"{rng.choice(_CITY_ADJECTIVES)} {rng.choice(_INDUSTRIES)} GmbH"
        else:
            name = f"{rng.choice(LAST_NAMES)} & {rng.choice(LAST_NAMES)} {rng.choice(_LEGAL_FORMS)}"
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def _work_ms(rng: random.Random, day: date) -> int:
    """An instant during office hours (UTC) on ``day``."""
    return epoch_ms(day) + rng.randint(6 * 3600, 16 * 3600) * 1000 + rng.randrange(1000)


def _amount(rng: random.Random, owner: Person) -> float:
    scale = 3.0 if owner.department == "Key Account Management" else 1.0
    raw = math.exp(rng.gauss(math.log(30_000), 0.9)) * scale
    return float(max(1_000, round(raw / 500) * 500))


def _opportunity(
    rng: random.Random, cal: DemoCalendar, owner: Person, hygiene: str, account: tuple[str, str],
    migration_user: str,
) -> Opportunity:
    snapshot_day, snapshot_ms = cal.last_day, cal.snapshot_ms
    last_day = min(owner.end_date or snapshot_day, snapshot_day)
    first_day = max(owner.start_date, cal.go_live)
    migrated = owner.start_date <= cal.go_live and rng.random() < 0.12
    if migrated:  # taken over from the old Excel lists at go-live
        created_ms, created_by = epoch_ms(cal.go_live) + 5 * 3600 * 1000, migration_user
    else:
        span = max((last_day - first_day).days, 1)
        created_ms, created_by = _work_ms(rng, first_day + timedelta(rng.randrange(span))), ""
    created_day = utc_naive(created_ms).date()
    age = (snapshot_day - created_day).days
    p_closed = min(0.9, 0.15 + age / 250) * (0.6 if hygiene == "poor" else 1.0)
    amount: float | None = _amount(rng, owner)
    next_step, last_activity = "", None
    if rng.random() < p_closed:
        stage = "Closed Won" if rng.random() < 0.42 else "Closed Lost"
        close_date = min(created_day + timedelta(rng.randint(14, 150)), last_day)
        modified_ms = _work_ms(rng, min(close_date + timedelta(rng.randint(0, 2)), last_day))
        if rng.random() < 0.8:
            last_activity = close_date - timedelta(rng.randint(0, 10))
    else:
        stage = rng.choices([s for s, _, _ in OPEN_STAGES], [w for _, _, w in OPEN_STAGES])[0]
        if hygiene == "good":
            future, with_step, modified_ago, activity_ago, no_amount = 1.0, 0.97, 20, 14, 0.0
        elif hygiene == "fair":
            future, with_step, modified_ago, activity_ago, no_amount = 0.65, 0.55, 75, 60, 0.05
        else:
            future, with_step, modified_ago, activity_ago, no_amount = 0.15, 0.12, 420, 300, 0.3
        if rng.random() < future:
            close_date = snapshot_day + timedelta(rng.randint(7, 150))
        else:
            close_date = snapshot_day - timedelta(rng.randint(15, 300 if hygiene == "poor" else 90))
            close_date = max(close_date, created_day + timedelta(14))
        if rng.random() < with_step:
            next_step = rng.choice(NEXT_STEPS)
        floor_ago = 90 if hygiene == "poor" else 0
        modified_day = last_day - timedelta(rng.randint(floor_ago, modified_ago))
        modified_ms = _work_ms(rng, modified_day)
        if hygiene != "poor" or rng.random() < 0.3:
            last_activity = last_day - timedelta(rng.randint(floor_ago, activity_ago))
        if rng.random() < no_amount:
            amount = None
    modified_ms = min(max(modified_ms, created_ms + rng.randint(0, 600_000)), snapshot_ms)
    if last_activity is not None and last_activity < created_day:
        last_activity = created_day
    product = (f"{rng.randint(2, 40) * 10} {rng.choice(_PRODUCTS)}" if rng.random() < 0.6
               else rng.choice(_SERVICES))
    return Opportunity(
        opportunity_id="", owner=owner, account_id=account[0], name=f"{account[1]} - {product}",
        stage=stage, amount=amount, created_ms=created_ms, close_date=close_date,
        last_modified_ms=modified_ms, last_activity=last_activity, next_step=next_step,
        type="Existing Business" if rng.random() < 0.45 else "New Business",
        lead_source="" if hygiene == "poor" and rng.random() < 0.5 else rng.choice(_LEAD_SOURCES),
        description=rng.choice(_DESCRIPTIONS) if rng.random() < 0.2 else "",
        created_by=created_by or owner.user_id,
    )


def build_opportunities(
    rng: random.Random, cal: DemoCalendar, people: list[Person], plan: ActivityPlan, count: int
) -> list[Opportunity]:
    """``count`` opportunities owned by people in the sales departments, in creation order."""
    owners = [p for p in people if not p.is_integration and p.department in SALES_DEPARTMENTS]
    weights = [_OWNER_WEIGHT.get(p.role, 0.3) for p in owners]
    hygiene = {}
    for person in owners:
        segment = "barely" if person.end_date else recent_segment(plan, cal, person)
        hygiene[person.index] = {"productive": "good", "sporadic": "fair"}.get(segment, "poor")
    account_names = _account_names(rng, max(30, count // 4))
    accounts = list(zip(new_sf_ids(rng, "001", len(account_names)), account_names, strict=True))
    migration_user = next(p.user_id for p in people if p.integration_kind == "sap")
    opportunities = [
        _opportunity(rng, cal, owner, hygiene[owner.index], rng.choice(accounts), migration_user)
        for owner in rng.choices(owners, weights, k=count)
    ]
    opportunities.sort(key=lambda o: (o.created_ms, o.owner.index))
    for opportunity, opportunity_id in zip(
        opportunities, new_sf_ids(rng, "006", count), strict=True
    ):
        opportunity.opportunity_id = opportunity_id
    return opportunities


def _midnight(day: date | None) -> datetime | None:
    return datetime(day.year, day.month, day.day) if day else None


def pipeline_frame(opportunities: list[Opportunity]) -> pd.DataFrame:
    """The snapshot with the canonical column names of the ``pipeline`` dataset."""
    return pd.DataFrame(
        {
            "opportunity_id": [o.opportunity_id for o in opportunities],
            "owner": [o.owner.user_id for o in opportunities],
            "account": [o.account_id for o in opportunities],
            "stage": [o.stage for o in opportunities],
            "amount": pd.Series([o.amount for o in opportunities], dtype="float64"),
            "currency": [CURRENCY] * len(opportunities),
            "created_at": pd.to_datetime([utc_naive(o.created_ms) for o in opportunities]),
            "close_date": [o.close_date for o in opportunities],
            "last_modified_at": pd.to_datetime(
                [utc_naive(o.last_modified_ms) for o in opportunities]
            ),
            "last_activity_at": pd.Series(
                [_midnight(o.last_activity) for o in opportunities], dtype="datetime64[us]"
            ),
            "next_step": [o.next_step or None for o in opportunities],
            "is_closed": [o.is_closed for o in opportunities],
            "is_won": [o.is_won for o in opportunities],
        }
    )


def _forecast_category(stage: str) -> str:
    return {"Closed Won": "Closed", "Closed Lost": "Omitted"}.get(stage, "Pipeline")


def pipeline_csv(opportunities: list[Opportunity]) -> bytes:
    """The snapshot as a Salesforce Data Loader extract of Opportunity (every value quoted)."""
    rows = []
    for o in opportunities:
        probability = _PROBABILITY[o.stage]
        amount = "" if o.amount is None else f"{o.amount:.1f}"
        expected = "" if o.amount is None else f"{o.amount * probability / 100:.1f}"
        quarter = (o.close_date.month - 1) // 3 + 1
        modified = iso_z(o.last_modified_ms)
        rows.append((
            o.opportunity_id, "false", o.account_id, o.name, o.description, o.stage, amount,
            f"{probability:.1f}", expected, "", o.close_date.isoformat(), o.type, o.next_step,
            o.lead_source, str(o.is_closed).lower(), str(o.is_won).lower(),
            _forecast_category(o.stage), CURRENCY, "false", "", "", o.owner.user_id,
            iso_z(o.created_ms), o.created_by, modified, o.owner.user_id, modified,
            o.last_activity.isoformat() if o.last_activity else "", str(quarter),
            str(o.close_date.year), f"{o.close_date.year} {quarter}", "",
        ))
    return render_csv(DATALOADER_HEADER, rows, quote_all=True)
