"""The generated pool for the benchmarks: professions, places, CV text, runner-ups, openings.

Deterministic for a seed. Import it once Django is set up (``bench/search.py`` does).
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from talentpool.candidates.models import Candidate
from talentpool.openings.models import Feedback, FeedbackItem, Opening, RunnerUp
from talentpool.skills.curated import CONCEPTS as SKILLS
from talentpool.skills.labels import skill_label

BATCH = 2000  # rows per bulk_create
LANGUAGE_WEIGHTS = {"da": 45, "sv": 35, "en": 20}


class Weighted:
    """A fixed population with weights; ``pick`` is one ``random.choices`` on cumulative weights."""

    def __init__(self, items: Sequence[Any], weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cumulative: list[float] = []
        total = 0.0
        for weight in weights:
            total += weight
            self.cumulative.append(total)

    @classmethod
    def zipf(cls, items: Sequence[Any], exponent: float = 1.0) -> Weighted:
        """The first item most common, the n-th about 1/n as common."""
        return cls(items, [1 / (rank + 1) ** exponent for rank in range(len(items))])

    def pick(self, rng: random.Random) -> Any:
        return rng.choices(self.items, cum_weights=self.cumulative)[0]

    def distinct(self, rng: random.Random, count: int) -> list[Any]:
        count = min(count, len(self.items))
        chosen: dict[Any, None] = {}
        for _ in range(count * 20):
            chosen.setdefault(self.pick(rng), None)
            if len(chosen) >= count:
                break
        return list(chosen)


@dataclass(frozen=True)
class Profession:
    key: str
    weight: float
    titles: dict[str, str]  # da, sv, en
    skills: tuple[str, ...]  # canonical keys, the most common first


PROFESSIONS = (
    Profession(
        "developer",
        14,
        {"da": "Softwareudvikler", "sv": "Systemutvecklare", "en": "Software Developer"},
        (
            "python", "javascript", "typescript", "react", "sql", "git", "java", "csharp", "dotnet",
            "rest_api", "django", "nodejs", "docker", "microservices", "ci_cd", "angular", "vue",
            "kotlin", "golang", "html_css", "software_architecture", "test_automation", "agile",
        ),
    ),
    Profession(
        "project_manager",
        10,
        {"da": "Projektleder", "sv": "Projektledare", "en": "Project Manager"},
        (
            "project_management", "stakeholder_management", "agile", "scrum", "prince2",
            "risk_management", "change_management", "jira", "microsoft_project", "scheduling",
            "programme_management", "safe", "pmp", "business_analysis", "lean",
        ),
    ),
    Profession(
        "sales",
        9,
        {"da": "Salgskonsulent", "sv": "Säljare", "en": "Sales Executive"},
        (
            "sales", "negotiation", "key_account_management", "business_development", "crm_systems",
            "salesforce", "customer_service", "presentation_skills", "hubspot", "telesales", "retail",
        ),
    ),
    Profession(
        "nurse",
        8,
        {"da": "Sygeplejerske", "sv": "Sjuksköterska", "en": "Registered Nurse"},
        (
            "nursing", "medication_administration", "clinical_documentation", "infection_control",
            "first_aid", "elder_care", "psychiatric_care", "dementia_care", "rehabilitation",
        ),
    ),
    Profession(
        "care_worker",
        8,
        {"da": "Social- og sundhedsassistent", "sv": "Undersköterska", "en": "Care Assistant"},
        (
            "care_work", "elder_care", "dementia_care", "first_aid", "medication_administration",
            "rehabilitation", "clinical_documentation", "shift_planning", "pedagogy",
        ),
    ),
    Profession(
        "logistics",
        7,
        {"da": "Logistikkoordinator", "sv": "Logistiksamordnare", "en": "Logistics Coordinator"},
        (
            "supply_chain_management", "warehouse_operations", "inventory_management",
            "transport_planning", "freight_forwarding", "forklift_licence", "customs", "sap",
            "fleet_management", "excel", "hgv_licence", "adr",
        ),
    ),
    Profession(
        "accountant",
        6,
        {"da": "Bogholder", "sv": "Redovisningsekonom", "en": "Accountant"},
        (
            "accounting", "excel", "accounts_payable", "accounts_receivable", "financial_reporting",
            "budgeting", "payroll", "e_conomic", "visma", "fortnox", "sap", "ifrs", "taxation",
            "auditing", "dynamics_365",
        ),
    ),
    Profession(
        "marketing",
        6,
        {"da": "Marketingkoordinator", "sv": "Marknadskoordinator", "en": "Marketing Coordinator"},
        (
            "marketing", "digital_marketing", "social_media", "content_marketing", "seo",
            "campaign_planning", "google_analytics", "copywriting", "email_marketing", "sem",
            "marketing_automation", "hubspot", "brand_management", "wordpress", "communications",
        ),
    ),
    Profession(
        "construction_manager",
        5,
        {"da": "Byggeleder", "sv": "Byggledare", "en": "Construction Manager"},
        (
            "construction_management", "site_management", "construction_contracts", "work_environment",
            "cost_estimation", "bas_p", "bas_u", "health_and_safety_coordination", "autocad", "bim",
            "lean_construction", "renovation",
        ),
    ),
    Profession(
        "electrician",
        5,
        {"da": "Elektriker", "sv": "Elektriker", "en": "Electrician"},
        (
            "electrical_installation", "electrical_safety", "fault_finding", "plc_programming",
            "industrial_automation", "ev_charging", "high_voltage", "smart_meters", "power_grid",
            "solar_energy", "scada",
        ),
    ),
    Profession(
        "hr",
        5,
        {"da": "HR-konsulent", "sv": "HR-specialist", "en": "HR Advisor"},
        (
            "recruitment", "hr_administration", "onboarding", "employment_law", "collective_agreements",
            "hr_business_partnering", "employer_branding", "competence_development",
            "performance_reviews", "absence_management", "payroll",
        ),
    ),
    Profession(
        "data_analyst",
        5,
        {"da": "Dataanalytiker", "sv": "Dataanalytiker", "en": "Data Analyst"},
        (
            "sql", "data_analysis", "power_bi", "excel", "python", "statistics", "business_intelligence",
            "tableau", "etl", "dbt", "r_programming", "data_science", "machine_learning", "airflow",
        ),
    ),
    Profession(
        "it_support",
        4,
        {"da": "IT-supporter", "sv": "IT-tekniker", "en": "IT Support Technician"},
        (
            "it_support", "windows_server", "microsoft_office", "network_administration", "itil",
            "servicenow", "linux", "cybersecurity", "sharepoint",
        ),
    ),
    Profession(
        "devops",
        3,
        {"da": "DevOps-ingeniør", "sv": "DevOps-ingenjör", "en": "DevOps Engineer"},
        (
            "kubernetes", "docker", "terraform", "aws", "azure", "linux", "ci_cd", "devops", "ansible",
            "infrastructure_as_code", "gcp", "python", "git", "kafka",
        ),
    ),
    Profession(
        "ux_designer",
        3,
        {"da": "UX-designer", "sv": "UX-designer", "en": "UX Designer"},
        (
            "ux_design", "figma", "user_research", "ui_design", "prototyping", "usability_testing",
            "design_systems", "service_design", "accessibility", "graphic_design", "adobe_creative_cloud",
        ),
    ),
    Profession(
        "controller",
        3,
        {"da": "Controller", "sv": "Controller", "en": "Financial Controller"},
        (
            "controlling", "financial_analysis", "budgeting", "forecasting", "financial_reporting",
            "excel", "power_bi", "ifrs", "sap", "dynamics_365",
        ),
    ),
    Profession(
        "mechanical_engineer",
        3,
        {"da": "Maskiningeniør", "sv": "Maskiningenjör", "en": "Mechanical Engineer"},
        (
            "mechanical_engineering", "solidworks", "3d_modelling", "autocad", "quality_management",
            "lean", "six_sigma", "continuous_improvement", "maintenance_planning",
        ),
    ),
    Profession(
        "energy_consultant",
        2,
        {"da": "Energikonsulent", "sv": "Energikonsult", "en": "Energy Consultant"},
        (
            "energy_efficiency", "district_heating", "heat_pumps", "hvac", "sustainability",
            "wind_energy", "solar_energy", "environmental_management",
        ),
    ),
    Profession(
        "property_manager",
        2,
        {"da": "Ejendomsadministrator", "sv": "Fastighetsförvaltare", "en": "Property Manager"},
        (
            "property_management", "tenant_relations", "tenancy_law", "facility_management",
            "maintenance_planning", "vitec", "property_valuation", "budgeting",
        ),
    ),
)  # fmt: skip

NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "da": (
        (
            "Mette", "Anne", "Kirsten", "Hanne", "Lene", "Camilla", "Maria", "Louise", "Sofie", "Ida",
            "Emma", "Freja", "Julie", "Line", "Signe", "Mads", "Rasmus", "Jens", "Lars", "Søren",
            "Niels", "Henrik", "Morten", "Mikkel", "Frederik", "Christian", "Anders", "Thomas",
            "Jesper", "Kasper", "Magnus", "Oliver", "Emil", "Lucas", "Peter", "Jonas", "Malene",
            "Pernille", "Trine", "Birgitte", "Astrid", "Karen", "Troels", "Bjørn", "Asger", "Gitte",
        ),
        (
            "Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
            "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen",
            "Christiansen", "Poulsen", "Johansen", "Møller", "Mortensen", "Knudsen", "Jakobsen",
            "Mikkelsen", "Frederiksen", "Dalgaard", "Skovgaard", "Holm", "Lund", "Bach", "Kjær",
            "Vestergaard", "Østergaard", "Nørgaard", "Bøgh", "Friis", "Damgaard", "Bisgaard",
        ),
    ),
    "sv": (
        (
            "Anna", "Eva", "Maria", "Karin", "Sara", "Emma", "Elin", "Linnea", "Ebba", "Maja", "Alva",
            "Astrid", "Ingrid", "Frida", "Johanna", "Åsa", "Lena", "Ulrika", "Erik", "Lars", "Karl",
            "Anders", "Johan", "Per", "Nils", "Mikael", "Oskar", "Gustav", "Axel", "Hugo", "Viktor",
            "Filip", "Björn", "Fredrik", "Magnus", "Henrik", "Jonas", "Mattias", "Sven", "Olof",
            "Göran", "Linus", "Albin",
        ),
        (
            "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
            "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson",
            "Bengtsson", "Jönsson", "Lindberg", "Jakobsson", "Magnusson", "Lindström", "Lindqvist",
            "Lindgren", "Berg", "Axelsson", "Bergström", "Lundberg", "Lundgren", "Lundqvist",
            "Mattsson", "Berglund", "Fredriksson", "Sandberg", "Sjöberg", "Wallin", "Engström",
            "Åberg", "Öberg", "Holmgren", "Nyström",
        ),
    ),
    "en": (
        (
            "James", "Oliver", "Jack", "Harry", "George", "Thomas", "William", "Daniel", "Samuel",
            "Joseph", "Charlotte", "Emily", "Olivia", "Amelia", "Sophie", "Jessica", "Hannah", "Lucy",
            "Grace", "Chloe", "Rebecca", "Laura", "Sarah", "Michael", "David", "Andrew", "Matthew",
            "Rachel", "Eleanor", "Isabel", "Priya", "Aisha", "Tomasz", "Ana",
        ),
        (
            "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas",
            "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards",
            "Hughes", "Green", "Hall", "Wood", "Harris", "Lewis", "Martin", "Jackson", "Clarke",
            "Turner", "Hill", "Scott", "Cooper", "Morris", "Ward", "Moore", "King", "Watson", "Baker",
            "Patel", "Khan", "Murphy", "O'Brien", "Campbell", "Stewart", "MacDonald", "Kowalski",
        ),
    ),
}  # fmt: skip

# (name, latitude, longitude, weight) per candidate language; English speakers also live in the Nordics.
CITIES: dict[str, tuple[tuple[str, float, float, float], ...]] = {
    "da": (
        ("København", 55.6761, 12.5683, 30), ("Aarhus", 56.1629, 10.2039, 12),
        ("Odense", 55.4038, 10.4024, 7), ("Aalborg", 57.0488, 9.9217, 6),
        ("Frederiksberg", 55.6786, 12.5337, 4), ("Esbjerg", 55.4765, 8.4594, 3),
        ("Kolding", 55.4904, 9.4722, 3), ("Vejle", 55.7113, 9.5357, 3), ("Roskilde", 55.6415, 12.0803, 3),
        ("Randers", 56.4607, 10.0364, 2), ("Horsens", 55.8607, 9.8503, 2), ("Herning", 56.1393, 8.9738, 2),
        ("Silkeborg", 56.1697, 9.5451, 2), ("Helsingør", 56.0361, 12.6136, 2),
        ("Næstved", 55.2299, 11.7609, 1), ("Hillerød", 55.9267, 12.3109, 1),
    ),
    "sv": (
        ("Stockholm", 59.3293, 18.0686, 30), ("Göteborg", 57.7089, 11.9746, 15),
        ("Malmö", 55.6050, 13.0038, 10), ("Uppsala", 59.8586, 17.6389, 5),
        ("Linköping", 58.4108, 15.6214, 4), ("Lund", 55.7047, 13.1910, 3), ("Örebro", 59.2753, 15.2134, 3),
        ("Västerås", 59.6099, 16.5448, 3), ("Helsingborg", 56.0465, 12.6945, 3),
        ("Jönköping", 57.7826, 14.1618, 3), ("Norrköping", 58.5877, 16.1924, 3),
        ("Umeå", 63.8258, 20.2630, 2), ("Gävle", 60.6749, 17.1413, 2), ("Sundsvall", 62.3908, 17.3069, 1),
        ("Luleå", 65.5848, 22.1547, 1),
    ),
    "en": (
        ("London", 51.5072, -0.1276, 30), ("Manchester", 53.4808, -2.2426, 8),
        ("Edinburgh", 55.9533, -3.1883, 5), ("Dublin", 53.3498, -6.2603, 5), ("Bristol", 51.4545, -2.5879, 4),
        ("Leeds", 53.8008, -1.5491, 4), ("København", 55.6761, 12.5683, 10),
        ("Stockholm", 59.3293, 18.0686, 10), ("Aarhus", 56.1629, 10.2039, 3), ("Malmö", 55.6050, 13.0038, 3),
    ),
}  # fmt: skip

# Spoken languages (ISO 639-1) by candidate language, with weights.
SPOKEN: dict[str, tuple[tuple[tuple[str, ...], float], ...]] = {
    "da": ((("da", "en"), 75), (("da",), 10), (("da", "en", "de"), 8), (("da", "en", "sv"), 5),
           (("da", "en", "no"), 2)),
    "sv": ((("sv", "en"), 75), (("sv",), 8), (("sv", "en", "de"), 6), (("sv", "en", "da"), 5),
           (("sv", "en", "fi"), 3)),
    "en": ((("en",), 55), (("en", "da"), 15), (("en", "sv"), 12), (("en", "de"), 7), (("en", "fr"), 6),
           (("en", "pl"), 5)),
}  # fmt: skip

TAGS = (
    "senior", "management", "remote", "part-time", "freelance", "graduate", "relocation",
    "driving-licence", "security-clearance", "top-talent", "international", "returner", "contractor",
)  # fmt: skip

COMPANIES = (
    "Nordlys A/S", "Fjordhavn ApS", "Bølgen Byg A/S", "Skovgaard & Co", "Havtorn Logistik", "Mosegaard Pleje",
    "Kattegat Energi", "Sundby IT", "Norrsken Data AB", "Fjällbo Bygg AB", "Älvstrand Energi AB",
    "Granitgruppen AB", "Lindqvist Konsult AB", "Vättern Vård AB", "Östersjö Logistik AB",
    "Harbour Digital Ltd", "Northgate Engineering Ltd", "Bridgewater Care", "Thames Analytics",
    "Kingsway Retail",
)  # fmt: skip

SENIORITY = {
    "da": (("", 55), ("Senior", 20), ("Junior", 12), ("Erfaren", 8), ("Ledende", 5)),
    "sv": (("", 55), ("Senior", 20), ("Junior", 12), ("Erfaren", 8), ("Ledande", 5)),
    "en": (("", 55), ("Senior", 20), ("Junior", 12), ("Experienced", 8), ("Lead", 5)),
}

CV_TEXT: dict[str, dict[str, tuple[str, ...]]] = {
    "da": {
        "intro": (
            "Jeg er {title} med {years} års erfaring fra {sector}.",
            "Erfaren {title} med baggrund i {sector}.",
            "{Title} med en solid baggrund fra {sector} og {years} års erfaring.",
        ),
        "skills": (
            "Jeg har arbejdet med {skills}.",
            "Mine kompetencer omfatter {skills}.",
            "Jeg har særligt erfaring med {skills}.",
        ),
        "recent": (
            "Senest har jeg været ansat hos {company} i {city}, hvor jeg {achievement}.",
            "Hos {company} i {city} {achievement} jeg.",
        ),
        "achievement": (
            "stod for udrulningen af et nyt system", "ledede et team på otte medarbejdere",
            "reducerede omkostningerne med 15 procent", "forbedrede kundetilfredsheden markant",
            "var ansvarlig for den daglige drift", "indførte nye og mere effektive arbejdsgange",
        ),
        "personal": (
            "Jeg trives i et uformelt miljø og sætter pris på ordentlighed og godt samarbejde.",
            "Kollegaer beskriver mig som struktureret, positiv og løsningsorienteret.",
            "Jeg søger nye udfordringer, gerne i en virksomhed med fokus på bæredygtighed.",
        ),
        "education": (
            "Uddannet fra Aarhus Universitet.", "Uddannet fra Københavns Universitet.", "Uddannet fra DTU.",
            "Uddannet fra CBS.", "Uddannet fra Aalborg Universitet.", "Uddannet fra Erhvervsakademi Aarhus.",
        ),
    },
    "sv": {
        "intro": (
            "Jag är {title} med {years} års erfarenhet från {sector}.",
            "Erfaren {title} med bakgrund inom {sector}.",
            "{Title} med gedigen bakgrund från {sector} och {years} års erfarenhet.",
        ),
        "skills": (
            "Jag har arbetat med {skills}.",
            "Mina kompetenser omfattar {skills}.",
            "Jag har särskilt lång erfarenhet av {skills}.",
        ),
        "recent": (
            "Senast var jag anställd på {company} i {city}, där jag {achievement}.",
            "På {company} i {city} {achievement} jag.",
        ),
        "achievement": (
            "ansvarade för införandet av ett nytt system", "ledde ett team på åtta medarbetare",
            "minskade kostnaderna med 15 procent", "förbättrade kundnöjdheten tydligt",
            "ansvarade för den dagliga driften", "införde nya och effektivare arbetssätt",
        ),
        "personal": (
            "Jag trivs i en prestigelös miljö och värdesätter ordning och gott samarbete.",
            "Kollegor beskriver mig som strukturerad, positiv och lösningsorienterad.",
            "Jag söker nya utmaningar, gärna i ett företag med fokus på hållbarhet.",
        ),
        "education": (
            "Utbildad vid Lunds universitet.", "Utbildad vid KTH.", "Utbildad vid Chalmers.",
            "Utbildad vid Uppsala universitet.", "Utbildad vid Göteborgs universitet.",
            "Utbildad vid Linköpings universitet.",
        ),
    },
    "en": {
        "intro": (
            "I am a {title} with {years} years of experience in {sector}.",
            "Experienced {title} with a background in {sector}.",
            "{Title} with a solid background in {sector} and {years} years of experience.",
        ),
        "skills": (
            "I have worked with {skills}.",
            "My skills include {skills}.",
            "I have particular experience with {skills}.",
        ),
        "recent": (
            "Most recently I worked at {company} in {city}, where I {achievement}.",
            "At {company} in {city} I {achievement}.",
        ),
        "achievement": (
            "led the roll-out of a new system", "managed a team of eight", "cut costs by 15 per cent",
            "clearly improved customer satisfaction", "was responsible for daily operations",
            "introduced new and more efficient ways of working",
        ),
        "personal": (
            "I enjoy informal workplaces and value integrity and good teamwork.",
            "Colleagues describe me as structured, positive and solution-oriented.",
            "I am looking for new challenges, ideally in a company focused on sustainability.",
        ),
        "education": (
            "Graduated from the University of Manchester.", "Graduated from King's College London.",
            "Graduated from the University of Edinburgh.", "Graduated from Trinity College Dublin.",
        ),
    },
}  # fmt: skip

SECTORS = {
    "da": ("den offentlige sektor", "finanssektoren", "byggebranchen", "IT-branchen", "detailhandlen",
           "sundhedsvæsenet", "energisektoren", "transport og logistik", "industrien", "konsulentbranchen"),
    "sv": ("offentlig sektor", "finansbranschen", "byggbranschen", "IT-branschen", "detaljhandeln",
           "vården", "energibranschen", "transport och logistik", "industrin", "konsultbranschen"),
    "en": ("the public sector", "financial services", "construction", "the IT industry", "retail",
           "healthcare", "the energy sector", "transport and logistics", "manufacturing", "consulting"),
}  # fmt: skip

TEAMS = {
    "da": ("til vores team i {city}", "til afdelingen i {city}", "til et nyt projekt",
           "med fokus på digitalisering"),
    "sv": ("till vårt team i {city}", "till kontoret i {city}", "till ett nytt projekt",
           "med fokus på digitalisering"),
    "en": ("for our {city} team", "for the {city} office", "for a new project", "focused on digitalisation"),
}  # fmt: skip

OPENING_TEXT = {
    "da": "Vi søger en {title} med erfaring inden for {skills}. Du bliver en del af et stærkt fagligt "
    "miljø i {city} med gode muligheder for udvikling.",
    "sv": "Vi söker en {title} med erfarenhet inom {skills}. Du blir en del av en stark "
    "yrkesmiljö i {city} med goda möjligheter till utveckling.",
    "en": "We are looking for a {title} with experience in {skills}. You will join a strong team "
    "in {city} with good opportunities to grow.",
}

_Kind, _Category = FeedbackItem.Kind, FeedbackItem.Category
FEEDBACK_ITEMS = (
    (_Kind.STRENGTH, _Category.EXPERIENCE, "Solid and relevant experience."),
    (_Kind.STRENGTH, _Category.COMMUNICATION, "Clear and engaging in the interviews."),
    (_Kind.DEVELOPMENT_AREA, _Category.SKILL, "Less hands-on with our main tools."),
    (_Kind.DEVELOPMENT_AREA, _Category.CERTIFICATION, "A certification would help."),
    (_Kind.DEVELOPMENT_AREA, _Category.PRESENTATION, "The case presentation ran long."),
    (_Kind.DEVELOPMENT_AREA, _Category.COMPANY_UNDERSTANDING, "Read up on our market."),
    (_Kind.NEXT_STEP, _Category.SKILL, "Apply again when a similar role opens."),
)

STAGES = Weighted(
    [stage.value for stage in RunnerUp.Stage],
    [10, 25, 15, 20, 22, 8],  # SCREENING ... OFFER
)
DOMAINS = {
    "da": ("gmail.com", "hotmail.dk", "outlook.dk", "mail.dk"),
    "sv": ("gmail.com", "hotmail.se", "outlook.com", "telia.com"),
    "en": ("gmail.com", "outlook.com", "yahoo.co.uk", "icloud.com"),
}
_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ä": "a", "ö": "o", "'": ""})


def in_sentence(title: str, language: str) -> str:
    """Danish and Swedish write job titles in lower case inside a sentence ("IT-tekniker" stays)."""
    if language == "en" or (len(title) > 1 and title[1].isupper()):
        return title
    return title[0].lower() + title[1:]


def joined(labels: Sequence[str], language: str) -> str:
    if len(labels) < 2:
        return "".join(labels)
    word = {"da": "og", "sv": "och", "en": "and"}[language]
    return f"{', '.join(labels[:-1])} {word} {labels[-1]}"


def ascii_fold(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.lower().translate(_FOLD))
    return "".join(ch for ch in folded if ch.isascii() and (ch.isalnum() or ch in ".-"))


class PoolGenerator:
    """Candidates in a fixed order from one seeded stream: the first 10k of a 100k pool are the 10k pool."""

    def __init__(self, seed: int, organization_id: int, now: dt.datetime) -> None:
        self.rng = random.Random(seed)
        self.organization_id = organization_id
        self.now = now
        known = {skill.key for skill in SKILLS}
        for profession in PROFESSIONS:
            unknown = set(profession.skills) - known
            assert not unknown, f"not in the curated skills: {sorted(unknown)}"
        self.professions = Weighted(PROFESSIONS, [p.weight for p in PROFESSIONS])
        self.core = {p.key: Weighted.zipf(p.skills, 0.9) for p in PROFESSIONS}
        # The long tail: every skill of the table, in a fixed shuffled order, Zipf-weighted.
        tail = [skill.key for skill in SKILLS]
        random.Random(seed + 7).shuffle(tail)
        self.tail = Weighted.zipf(tail, 1.1)
        self.language = Weighted(list(LANGUAGE_WEIGHTS), list(LANGUAGE_WEIGHTS.values()))
        self.first = {lang: Weighted.zipf(names[0], 0.6) for lang, names in NAMES.items()}
        self.last = {lang: Weighted.zipf(names[1], 0.8) for lang, names in NAMES.items()}
        self.cities = {lang: Weighted(cities, [c[3] for c in cities]) for lang, cities in CITIES.items()}
        self.spoken = {
            lang: Weighted([s[0] for s in pairs], [s[1] for s in pairs]) for lang, pairs in SPOKEN.items()
        }
        self.tags = Weighted.zipf(TAGS, 1.0)
        self.seniority = {
            lang: Weighted([s[0] for s in levels], [s[1] for s in levels])
            for lang, levels in SENIORITY.items()
        }
        self.skill_count = Weighted(range(3, 11), [4, 8, 10, 10, 8, 6, 4, 2])
        self.tag_count = Weighted(range(4), [40, 30, 20, 10])
        self.history: dict[str, list[int]] = {}

    # Historical openings (closed or filled) that candidates were runner-ups for.
    def historical_openings(self, per_profession: int = 8) -> list[Opening]:
        openings = []
        rng = self.rng
        for profession in PROFESSIONS:
            for number in range(per_profession):
                language = self.language.pick(rng)
                spec = self.opening_fields(rng, profession, language)
                openings.append(
                    Opening(
                        organization_id=self.organization_id,
                        status=rng.choice([Opening.Status.CLOSED, Opening.Status.FILLED]),
                        source="bench",
                        external_id=f"history-{profession.key}-{number}",
                        opened_at=self.now - dt.timedelta(days=rng.randint(60, 700)),
                        matched_at=self.now - dt.timedelta(days=rng.randint(1, 59)),
                        **spec,
                    )
                )
        created = Opening.objects.bulk_create(openings, batch_size=BATCH)
        for opening in created:
            key = str(opening.external_id).split("-")[1]
            self.history.setdefault(key, []).append(opening.pk)
        return created

    def opening_fields(self, rng: random.Random, profession: Profession, language: str) -> dict[str, Any]:
        city, latitude, longitude, _ = self.cities[language].pick(rng)
        seniority = self.seniority[language].pick(rng)
        title = profession.titles[language]
        if seniority:
            title = f"{seniority} {in_sentence(title, language)}"
        if rng.random() < 0.6:
            title = f"{title} {rng.choice(TEAMS[language]).format(city=city)}"
        must = list(profession.skills[:4])
        rng.shuffle(must)
        must = must[: rng.choice((2, 2, 3))]
        nice = rng.sample(list(profession.skills[4:10]), 2)
        labels = [skill_label(key, language) for key in must + nice]
        remote = rng.random() < 0.15
        return {
            "title": title[:200],
            "description": OPENING_TEXT[language].format(
                title=in_sentence(profession.titles[language], language),
                skills=joined(labels, language),
                city=city,
            ),
            "location": "" if remote else city,
            "latitude": None if remote else latitude,
            "longitude": None if remote else longitude,
            "must_have_skills": labels[: len(must)],
            "nice_to_have_skills": labels[len(must) :],
            "languages": [language] if rng.random() < 0.7 else [],
        }

    def candidate(self, number: int) -> tuple[Candidate, Profession]:
        rng = self.rng
        language: str = self.language.pick(rng)
        profession: Profession = self.professions.pick(rng)
        first: str = self.first[language].pick(rng)
        last: str = self.last[language].pick(rng)
        skills = self.core[profession.key].distinct(rng, self.skill_count.pick(rng))
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            key = self.tail.pick(rng)
            if key not in skills:
                skills.append(key)
        years = None if rng.random() < 0.05 else min(45, int(rng.gammavariate(2.0, 4.5)))
        if rng.random() < 0.05:
            city, latitude, longitude = "", None, None
        else:
            city, base_latitude, base_longitude, _ = self.cities[language].pick(rng)
            latitude = round(base_latitude + rng.gauss(0, 0.04), 5)
            longitude = round(base_longitude + rng.gauss(0, 0.06), 5)
        title = profession.titles[language]
        seniority = self.seniority[language].pick(rng)
        headline = f"{seniority} {in_sentence(title, language)}" if seniority else title
        company = rng.choice(COMPANIES)
        style = rng.random()
        labels = [skill_label(key, language) for key in skills[:3]]
        if style < 0.3:
            headline += {"da": " hos ", "sv": " på ", "en": " at "}[language] + company
        elif style < 0.55:
            headline += " | " + ", ".join(labels)
        elif style < 0.7 and years:
            headline += {
                "da": f" med {years} års erfaring",
                "sv": f" med {years} års erfarenhet",
                "en": f" with {years} years' experience",
            }[language]
        text = CV_TEXT[language]
        fill = {
            "title": in_sentence(title, language),
            "Title": title,
            "years": max(years or 1, 1),
            "sector": rng.choice(SECTORS[language]),
            "skills": joined([skill_label(key, language) for key in skills[:5]], language),
            "company": company,
            "city": city or {"da": "Danmark", "sv": "Sverige", "en": "the UK"}[language],
            "achievement": rng.choice(text["achievement"]),
        }
        sentences = [rng.choice(text["intro"]), rng.choice(text["skills"]), rng.choice(text["recent"])]
        if rng.random() < 0.6:
            sentences.append(rng.choice(text["personal"]))
        if rng.random() < 0.5:
            sentences.append(rng.choice(text["education"]))
        local = f"{ascii_fold(first)}.{ascii_fold(last)}.{number}"
        domain = rng.choice(DOMAINS[language])
        digits = [rng.randint(10, 99) for _ in range(4)]
        phone = {
            "da": "+45 {} {} {} {}".format(*digits),
            "sv": "+46 7{} {}{} {} {}".format(digits[0] % 10, *digits),
            "en": "+44 7{}{} {}{}{}".format(*digits, rng.randint(0, 9)),
        }[language]
        links = [f"https://www.linkedin.com/in/{ascii_fold(first)}-{ascii_fold(last)}-{number}"]
        candidate = Candidate(
            organization_id=self.organization_id,
            first_name=first,
            last_name=last,
            email=f"{local}@{domain}",
            phone=phone if rng.random() < 0.8 else "",
            language=language,
            headline=headline[:200],
            location=city,
            latitude=latitude,
            longitude=longitude,
            skills=[skill_label(key, language) for key in skills],
            languages=list(self.spoken[language].pick(rng)),
            years_of_experience=years,
            links=links if rng.random() < 0.4 else [],
            tags=sorted(set(self.tags.distinct(rng, self.tag_count.pick(rng)))),
            cv_text=" ".join(sentences).format(**fill),
            source=rng.choice(("teamtailor", "greenhouse", "lever", "workable")),
            external_id=f"bench-{number}",
            consent_expires_at=self.now + dt.timedelta(seconds=rng.randint(86_400, 365 * 86_400)),
        )
        return candidate, profession

    def create(self, start: int, stop: int, progress: Callable[[int], None]) -> dict[str, int]:
        """Bulk-create candidates ``start`` to ``stop`` (and runner-ups) in chunks: flat memory."""
        rng = self.rng
        counts = {"candidates": 0, "runner_ups": 0, "feedback": 0}
        for chunk_start in range(start, stop, BATCH):
            made = [self.candidate(number) for number in range(chunk_start, min(stop, chunk_start + BATCH))]
            with transaction.atomic():
                created = Candidate.objects.bulk_create([c for c, _ in made], batch_size=BATCH)
                runner_ups: list[RunnerUp] = []
                for candidate, profession in zip(created, (p for _, p in made), strict=True):
                    # Half of the pool came in as runner-ups, some of them twice.
                    if rng.random() >= 0.5:
                        continue
                    openings = self.history[profession.key]
                    for opening_id in rng.sample(openings, 2 if rng.random() < 0.15 else 1):
                        runner_ups.append(
                            RunnerUp(
                                organization_id=self.organization_id,
                                candidate_id=candidate.pk,
                                opening_id=opening_id,
                                stage=STAGES.pick(rng),
                                rank=rng.choice((2, 2, 2, 3)),
                                closeness=rng.randint(60, 98),
                                contact_first=rng.random() < 0.15,
                                decided_at=self.now - dt.timedelta(days=rng.randint(1, 500)),
                            )
                        )
                runner_ups = RunnerUp.objects.bulk_create(runner_ups, batch_size=BATCH)
                feedbacks = [
                    Feedback(
                        organization_id=self.organization_id,
                        runner_up_id=runner_up.pk,
                        status=Feedback.Status.SENT,
                        free_text="Thank you for a strong application.",
                    )
                    for runner_up in runner_ups
                    if rng.random() < 0.6
                ]
                feedbacks = Feedback.objects.bulk_create(feedbacks, batch_size=BATCH)
                items = [
                    FeedbackItem(feedback_id=feedback.pk, kind=kind, category=category, text=text, position=n)
                    for feedback in feedbacks
                    for n, (kind, category, text) in enumerate(rng.sample(FEEDBACK_ITEMS, rng.randint(1, 3)))
                ]
                FeedbackItem.objects.bulk_create(items, batch_size=BATCH)
            counts["candidates"] += len(created)
            counts["runner_ups"] += len(runner_ups)
            counts["feedback"] += len(feedbacks)
            progress(chunk_start + len(created))
        return counts
