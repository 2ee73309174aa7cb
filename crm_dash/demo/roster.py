"""The demo company: people, teams, managers, licences, joiners and leavers, integration accounts.

Every person carries a stable adoption propensity (``propensity``, 0..1) that the usage, pipeline
and training generators read; it is never written to any export.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from crm_dash.demo.common import DemoCalendar, add_months, email_for, new_sf_ids, render_csv

DOMAIN = "beispiel-gmbh.de"
FOCUS_DEPARTMENT = "Vertrieb Süd"
#: The department that gets no training wave: a few of its productive users slip towards the end.
CONTRAST_DEPARTMENT = "Vertrieb Nord"
#: The focus department's wave reaches these teams in a second round, this many months later
#: (a trainer cannot take 120 people at once); until then they are the natural comparison group.
WAVE_SECOND_ROUND_TEAMS = frozenset({"Team Hessen", "Team Österreich"})
WAVE_SECOND_ROUND_DELAY = 3

#: Department → (head count at 600 people, teams, adoption bias).
DEPARTMENT_LAYOUT: dict[str, tuple[int, tuple[str, ...], float]] = {
    "Vertrieb Nord": (
        130, ("Team Hamburg", "Team Berlin", "Team Niedersachsen", "Team Nordrhein-Westfalen"), 0.1
    ),
    FOCUS_DEPARTMENT: (
        120, ("Team Bayern", "Team Baden-Württemberg", "Team Hessen", "Team Österreich"), 0.0
    ),
    "Key Account Management": (60, ("Team Automotive", "Team Maschinenbau", "Team Handel"), 0.4),
    "Marketing": (70, ("Team Kampagnen", "Team Online", "Team Messen & Events"), -0.4),
    "Kundenservice": (
        110, ("Team Hotline", "Team Technischer Service", "Team Reklamationen"), -0.2
    ),
    "Innendienst": (
        110, ("Team Auftragsabwicklung", "Team Angebote", "Team Vertriebsassistenz"), 0.1
    ),
}
DEPARTMENTS: tuple[str, ...] = tuple(DEPARTMENT_LAYOUT)
SALES_DEPARTMENTS: tuple[str, ...] = (
    "Vertrieb Nord", FOCUS_DEPARTMENT, "Key Account Management", "Innendienst"
)

#: Department → (role, licence, weight) of the members who are not leads.
MEMBER_ROLES: dict[str, tuple[tuple[str, str, float], ...]] = {
    "Vertrieb Nord": (("Außendienst", "Sales Cloud Enterprise", 0.8),
                      ("Innendienst", "Sales Cloud Enterprise", 0.2)),
    FOCUS_DEPARTMENT: (("Außendienst", "Sales Cloud Enterprise", 0.8),
                       ("Innendienst", "Sales Cloud Enterprise", 0.2)),
    "Key Account Management": (("Key Account Manager", "Sales Cloud Enterprise", 1.0),),
    "Marketing": (("Marketing Manager", "Sales Cloud Enterprise", 0.4),
                  ("Marketingreferent", "Platform Starter", 0.6)),
    "Kundenservice": (("Servicemitarbeiter", "Service Cloud Enterprise", 0.7),
                      ("Servicetechniker", "Platform Starter", 0.3)),
    "Innendienst": (("Innendienst", "Sales Cloud Enterprise", 0.7),
                    ("Auftragssachbearbeitung", "Platform Starter", 0.3)),
}
LICENSE_COST: dict[str, float] = {
    "Sales Cloud Enterprise": 165.00,
    "Service Cloud Enterprise": 165.00,
    "Platform Starter": 25.00,
    "Salesforce Integration": 0.00,
}

#: Name, e-mail and kind of the integration accounts.
INTEGRATIONS: tuple[tuple[str, str, str], ...] = (
    ("Integration SAP", "integration.sap", "sap"),
    ("Marketing Automation API", "marketing.automation", "marketing"),
    ("Data Warehouse Sync", "dwh.sync", "dwh"),
)

FIRST_NAMES: tuple[str, ...] = (
    "Jürgen", "Sören", "Björn", "Jörg", "Günther", "Hans-Jürgen", "Thomas", "Michael", "Andreas",
    "Stefan", "Markus", "Christian", "Frank", "Matthias", "Tobias", "Florian", "Sebastian",
    "Alexander", "Daniel", "Jan", "Lukas", "Felix", "Jonas", "Maximilian", "Uwe", "Ralf", "Dirk",
    "Holger", "Torsten", "Rüdiger", "Lars", "Timo", "Kai", "Mehmet", "Murat", "Emre", "Luca",
    "Marco", "Piotr", "Tomasz", "Nikolai", "Özlem", "Ayla", "Elif", "Zeynep", "Jülide", "Sabine",
    "Claudia", "Andrea", "Susanne", "Petra", "Monika", "Katrin", "Julia", "Anna", "Laura", "Lena",
    "Sarah", "Lisa", "Nicole", "Stefanie", "Melanie", "Sandra", "Birgit", "Gülay", "Dörte",
    "Bärbel", "Käthe", "Jürgen-Michael", "Renée", "Chloé", "Anja", "Miriam", "Franziska",
    "Johanna", "Marie", "Sophie", "Hannah", "Charlotte", "Ines", "Agnieszka", "Katarzyna",
    "Francesca", "Giulia", "Natascha",
)
LAST_NAMES: tuple[str, ...] = (
    "Müller", "Weiß", "Çelik", "Schröder", "Schäfer", "Bäcker", "Köhler", "Krüger", "Günther",
    "Böhm", "Jäger", "Schütz", "Förster", "Möller", "Hübner", "Große", "Groß", "Strauß", "Fuß",
    "Meißner", "Schmidt", "Schneider", "Fischer", "Meyer", "Wagner", "Becker", "Schulz",
    "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Neumann", "Schwarz", "Zimmermann", "Braun",
    "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Schmitz", "Krause", "Meier", "Lehmann",
    "Schmid", "Schulze", "Maier", "Köster", "Huber", "Kaiser", "Fuchs", "Peters", "Lang",
    "Scholz", "Möbius", "Weber", "Vogel", "Friedrich", "Keller", "Günter", "Frank", "Berger",
    "Winkler", "Roth", "Beck", "Lorenz", "Baumann", "Franke", "Albrecht", "Schuster", "Simon",
    "Ludwig", "Böttcher", "Yildiz", "Kaya", "Demir", "Öztürk", "Aydin", "Nowak", "Kowalski",
    "Rossi", "Esposito", "Dabrowski", "Müller-Lüdenscheidt", "Weißmüller", "Sänger", "Löffler",
    "Thür", "Dürr",
)


@dataclass(slots=True)
class Person:
    """A licensed person or an integration account of the demo company."""

    index: int
    user_id: str
    first_name: str
    last_name: str
    email: str
    department: str | None
    team: str | None
    role: str
    license_type: str
    start_date: date
    end_date: date | None = None
    manager_id: str | None = None
    is_integration: bool = False
    integration_kind: str = ""
    propensity: float = 0.0
    never_active: bool = False
    joiner: bool = False
    lms_email: str = ""
    objects: tuple[str, ...] = ()
    object_weights: tuple[float, ...] = ()
    client_ip: str = ""

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def license_cost(self) -> float:
        return LICENSE_COST[self.license_type]

    def licensed_on(self, day: date) -> bool:
        """Whether the person holds a licence on ``day``."""
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


def department_sizes(users: int) -> dict[str, int]:
    """Head count per department for ``users`` people (largest remainder, at least 4 each)."""
    total = sum(size for size, _, _ in DEPARTMENT_LAYOUT.values())
    exact = {d: users * size / total for d, (size, _, _) in DEPARTMENT_LAYOUT.items()}
    sizes = {d: max(4, int(v)) for d, v in exact.items()}
    by_remainder = sorted(exact, key=lambda d: exact[d] - int(exact[d]), reverse=True)
    i = 0
    while sum(sizes.values()) < users:
        sizes[by_remainder[i % len(by_remainder)]] += 1
        i += 1
    while sum(sizes.values()) > users:
        biggest = max(sizes, key=lambda d: sizes[d])
        sizes[biggest] -= 1
    return sizes


def _unique_names(rng: random.Random, count: int) -> list[tuple[str, str]]:
    names: list[tuple[str, str]] = []
    seen: set[str] = set()
    while len(names) < count:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        mail = email_for(first, last, DOMAIN)
        if mail not in seen:
            seen.add(mail)
            names.append((first, last))
    return names


_OBJECTS = ("Account", "Contact", "Opportunity", "Lead", "Activity", "Report", "Case")
#: Role → how much each CRM object matters to it (same order as ``_OBJECTS``).
_OBJECT_AFFINITY: dict[str, tuple[float, ...]] = {
    "sales": (3, 3, 4, 1.5, 4, 1, 0.3),
    "service": (2, 2, 0.2, 0.2, 3, 0.8, 5),
    "marketing": (1, 2, 0.5, 4, 1, 2, 0.1),
    "lead": (2, 1, 3, 0.5, 1, 4, 0.3),
}


def _profile(person: Person) -> str:
    if person.role in ("Teamleitung", "Bereichsleitung", "Geschäftsführung"):
        return "lead"
    if person.department == "Kundenservice":
        return "service"
    if person.department == "Marketing":
        return "marketing"
    return "sales"


def _assign_breadth(rng: random.Random, person: Person) -> None:
    affinity = _OBJECT_AFFINITY[_profile(person)]
    ranked = sorted(range(len(_OBJECTS)), key=lambda i: -affinity[i] * rng.uniform(0.5, 1.5))
    breadth = 2 + round(person.propensity * 4 + rng.uniform(0, 1.5))
    chosen = sorted(ranked[: min(breadth, len(_OBJECTS))])
    person.objects = tuple(_OBJECTS[i] for i in chosen)
    person.object_weights = tuple(affinity[i] for i in chosen)


def _start_date(rng: random.Random, cal: DemoCalendar) -> date:
    roll = rng.random()
    if roll < 0.85:
        return cal.go_live
    if roll < 0.93:  # pilot users and key users got their licence before go-live
        return cal.go_live - timedelta(days=rng.randint(20, 80))
    return cal.go_live + timedelta(days=rng.randint(5, 55))  # hired between go-live and month 1


def _random_workday(rng: random.Random, cal: DemoCalendar, lo: int, hi: int) -> date:
    return rng.choice(cal.workdays(rng.randint(lo, hi)))


def build_company(rng: random.Random, cal: DemoCalendar, users: int) -> list[Person]:
    """``users`` people in the six departments plus the integration accounts, in roster order."""
    sizes = department_sizes(users)
    n_joiners = max(1, round(25 * users / 600))
    n_leavers = max(1, round(20 * users / 600))
    n_executives = max(1, round(3 * users / 600))
    names = _unique_names(rng, users)
    ids = new_sf_ids(rng, "005", users + len(INTEGRATIONS))
    people: list[Person] = []

    def new_person(dept: str, team: str | None, role: str, licence: str) -> Person:
        first, last = names[len(people)]
        person = Person(
            index=len(people), user_id=ids[len(people)], first_name=first, last_name=last,
            email=email_for(first, last, DOMAIN), department=dept, team=team, role=role,
            license_type=licence, start_date=_start_date(rng, cal),
        )
        people.append(person)
        return person

    executives = [
        new_person("Key Account Management", "Geschäftsleitung", "Geschäftsführung",
                   "Sales Cloud Enterprise")
        for _ in range(n_executives)
    ]
    for person in executives:
        person.start_date = min(person.start_date, cal.go_live)
    for dept, size in sizes.items():
        _, team_names, _ = DEPARTMENT_LAYOUT[dept]
        members_left = size - (n_executives if dept == "Key Account Management" else 0)
        head = new_person(dept, None, "Bereichsleitung", "Sales Cloud Enterprise")
        head.manager_id = rng.choice(executives).user_id
        n_teams = max(1, min(len(team_names), members_left // 25))
        leads = []
        for team in team_names[:n_teams]:
            lead = new_person(dept, team, "Teamleitung", "Sales Cloud Enterprise")
            lead.manager_id = head.user_id
            leads.append(lead)
        roles = MEMBER_ROLES[dept]
        for _ in range(members_left - 1 - n_teams):
            lead = rng.choice(leads)
            role, licence, _ = rng.choices(roles, weights=[w for _, _, w in roles], k=1)[0]
            member = new_person(dept, lead.team, role, licence)
            member.manager_id = lead.user_id
    _assign_joiners_and_leavers(rng, cal, people, n_joiners, n_leavers)
    _assign_propensity(rng, people)
    for person in people:
        _assign_breadth(rng, person)
        person.client_ip = f"217.110.{rng.randint(16, 31)}.{rng.randint(2, 250)}"
        person.lms_email = person.email
        if rng.random() < 0.04:  # the LMS keeps what someone once typed in
            local = person.email.split("@")[0].title()
            person.lms_email = f"{local}@Beispiel-GmbH.de"
    people.extend(_integration_accounts(cal, ids[users:], len(people)))
    return people


def _assign_joiners_and_leavers(
    rng: random.Random, cal: DemoCalendar, people: list[Person], n_joiners: int, n_leavers: int
) -> None:
    members = [p for p in people if p.role not in ("Teamleitung", "Bereichsleitung",
                                                   "Geschäftsführung")]
    chosen = rng.sample(members, n_joiners + n_leavers)
    last = len(cal.months) - 1
    for person in chosen[:n_joiners]:
        person.joiner = True
        person.start_date = _random_workday(rng, cal, 1, last - 1)
    for person in chosen[n_joiners:]:
        month = rng.randint(0, last - 1)
        if rng.random() < 0.7:  # most leave at the end of a month
            person.end_date = add_months(cal.months[month], 1) - timedelta(days=1)
        else:
            person.end_date = _random_workday(rng, cal, month, month)


def _assign_propensity(rng: random.Random, people: list[Person]) -> None:
    """Spread propensities evenly over 0..1, ranked with a department bias plus chance.

    Even spacing keeps the company-wide segment mix close to the target at any scale while
    departments still differ.
    """
    keyed = sorted(
        people,
        key=lambda p: DEPARTMENT_LAYOUT[p.department or ""][2] + rng.gauss(0.0, 1.0),
    )
    n = len(keyed)
    for rank, person in enumerate(keyed):
        person.propensity = (rank + 0.5) / n
        person.never_active = person.propensity < 0.15 and not person.joiner


def _integration_accounts(cal: DemoCalendar, ids: list[str], first_index: int) -> list[Person]:
    accounts = []
    for i, (name, local, kind) in enumerate(INTEGRATIONS):
        account = Person(
            index=first_index + i, user_id=ids[i], first_name="", last_name=name,
            email=f"{local}@{DOMAIN}", department=None, team=None, role="API Only",
            license_type="Salesforce Integration", start_date=add_months(cal.go_live, -1),
            is_integration=True, integration_kind=kind, propensity=1.0,
            client_ip=("18.156.42.17", "52.29.180.73", "20.79.104.12")[i],
        )
        account.lms_email = account.email
        accounts.append(account)
    return accounts


ROSTER_HEADER = (
    "Benutzer-ID", "Name", "E-Mail", "Abteilung", "Team", "Rolle", "Vorgesetzter", "Lizenztyp",
    "Lizenzkosten/Monat", "Eintrittsdatum", "Austrittsdatum", "Benutzertyp",
)


def roster_frame(people: list[Person]) -> pd.DataFrame:
    """The roster with the canonical column names of the ``users`` dataset."""
    return pd.DataFrame(
        {
            "user_id": [p.user_id for p in people],
            "name": [p.name for p in people],
            "email": [p.email for p in people],
            "department": [p.department for p in people],
            "team": [p.team for p in people],
            "role": [p.role for p in people],
            "manager_id": [p.manager_id for p in people],
            "license_type": [p.license_type for p in people],
            "license_cost_monthly": [p.license_cost for p in people],
            "start_date": [p.start_date for p in people],
            "end_date": [p.end_date for p in people],
            "is_integration": [p.is_integration for p in people],
        }
    )


def _de_date(day: date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else ""


def roster_csv(people: list[Person]) -> bytes:
    """The roster as German Excel saves it: ``;``, cp1252, CRLF, decimal comma, dd.mm.yyyy."""
    rows = (
        (
            p.user_id, p.name, p.email, p.department or "", p.team or "", p.role,
            p.manager_id or "", p.license_type, f"{p.license_cost:.2f}".replace(".", ","),
            _de_date(p.start_date), _de_date(p.end_date),
            "Integration" if p.is_integration else "Standard",
        )
        for p in people
    )
    return render_csv(
        ROSTER_HEADER, rows, delimiter=";", line_terminator="\r\n", encoding="cp1252"
    )


def wave_index_of(cal: DemoCalendar, person: Person) -> int:
    """The month (index) in which the focus department's wave trains ``person``."""
    late = person.team in WAVE_SECOND_ROUND_TEAMS
    return cal.wave_index + (WAVE_SECOND_ROUND_DELAY if late else 0)
