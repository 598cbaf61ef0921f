"""The raw material for the demo data: people, places, skills, CV sentences, openings and feedback.

Every person and employer here is invented. Email addresses use ``example`` domains, Swedish
phone numbers come from the ranges PTS reserves for fiction, and the two organizations live
under the reserved ``.example`` top-level domain. Texts are keyed by language code (da, sv, en).
"""

from __future__ import annotations

from dataclasses import dataclass

Localized = dict[str, str]


@dataclass(frozen=True)
class City:
    name: str
    country: str  # "DK" or "SE"
    latitude: float
    longitude: float


CITIES: dict[str, City] = {
    city.name: city
    for city in (
        City("Aarhus", "DK", 56.1629, 10.2039),
        City("København", "DK", 55.6761, 12.5683),
        City("Frederiksberg", "DK", 55.6786, 12.5346),
        City("Odense", "DK", 55.4038, 10.4024),
        City("Aalborg", "DK", 57.0488, 9.9217),
        City("Randers", "DK", 56.4607, 10.0364),
        City("Silkeborg", "DK", 56.1697, 9.5451),
        City("Skanderborg", "DK", 56.0338, 9.9305),
        City("Horsens", "DK", 55.8607, 9.8503),
        City("Vejle", "DK", 55.7113, 9.5357),
        City("Kolding", "DK", 55.4904, 9.4722),
        City("Roskilde", "DK", 55.6415, 12.0803),
        City("Esbjerg", "DK", 55.4765, 8.4594),
        City("Herning", "DK", 56.1393, 8.9738),
        City("Göteborg", "SE", 57.7089, 11.9746),
        City("Stockholm", "SE", 59.3293, 18.0686),
        City("Mölndal", "SE", 57.6554, 12.0138),
        City("Kungsbacka", "SE", 57.4875, 12.0761),
        City("Borås", "SE", 57.7210, 12.9401),
        City("Solna", "SE", 59.3600, 18.0009),
        City("Uppsala", "SE", 59.8586, 17.6389),
        City("Västerås", "SE", 59.6099, 16.5448),
        City("Örebro", "SE", 59.2741, 15.2066),
        City("Linköping", "SE", 58.4108, 15.6214),
        City("Norrköping", "SE", 58.5877, 16.1924),
        City("Jönköping", "SE", 57.7826, 14.1618),
        City("Malmö", "SE", 55.6050, 13.0038),
        City("Lund", "SE", 55.7047, 13.1910),
        City("Helsingborg", "SE", 56.0465, 12.6945),
    )
}

# Names ----------------------------------------------------------------------------------------

DANISH_FIRST_NAMES = (
    "Søren", "Mette", "Anders", "Lars", "Jens", "Mikkel", "Rasmus", "Frederik", "Mads", "Jesper",
    "Henrik", "Ida", "Sofie", "Freja", "Camilla", "Louise", "Maja", "Emma", "Line", "Signe",
    "Astrid", "Kasper", "Nikolaj", "Thea", "Cecilie", "Rikke", "Bo", "Jørgen", "Bjørn", "Åse",
    "Mathilde", "Christian", "Peter", "Troels", "Asger", "Karoline", "Ditte", "Birgitte",
    "Anne-Sofie", "Malthe", "Trine", "Søs",
)  # fmt: skip
DANISH_LAST_NAMES = (
    "Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
    "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Poulsen",
    "Møller", "Mortensen", "Østergaard", "Kjær", "Lund", "Holm", "Bech", "Dahl", "Skov", "Friis",
    "Bach", "Nørgaard", "Thygesen", "Søndergaard", "Brøndum", "Højgaard", "Vestergaard", "Damgaard",
    "Ærenlund",
)  # fmt: skip
SWEDISH_FIRST_NAMES = (
    "Åsa", "Björn", "Erik", "Lars", "Anders", "Johan", "Karl", "Oskar", "Linnéa", "Elin", "Maja",
    "Ebba", "Sofia", "Emma", "Ida", "Märta", "Göran", "Sven", "Ingrid", "Annika", "Henrik",
    "Fredrik", "Mikael", "Jonas", "Matilda", "Klara", "Ellinor", "Tove", "Hampus", "Viktor",
    "Gustav", "Axel", "Sara", "Malin", "Petra", "Örjan", "Ulf", "Helén", "Agnes", "Stina",
)  # fmt: skip
SWEDISH_LAST_NAMES = (
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson",
    "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Hansson", "Bengtsson", "Jönsson",
    "Lindberg", "Lindqvist", "Lindström", "Åberg", "Öberg", "Ström", "Sjöberg", "Bäckström",
    "Hägglund", "Löfgren", "Ekström", "Söderberg", "Wallin", "Holmgren", "Nyström", "Blomqvist",
    "Åkesson", "Forsberg", "Engström",
)  # fmt: skip


@dataclass(frozen=True)
class NameOrigin:
    """International names by origin, with the language people of that origin usually speak."""

    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    language: str  # ISO 639-1, "en" when English is the mother tongue


INTERNATIONAL_NAMES: dict[str, NameOrigin] = {
    "english": NameOrigin(
        ("Oliver", "James", "Emily", "Charlotte", "Daniel", "Sarah", "Hannah", "Thomas", "Lucy", "Michael"),
        ("Smith", "Walker", "Thompson", "Brown", "Evans", "O'Brien", "MacLeod", "Murphy", "Hughes"),
        "en",
    ),
    "german": NameOrigin(
        ("Lukas", "Anna", "Felix", "Lena", "Jonas", "Katharina"),
        ("Müller", "Schmidt", "Weber", "Becker", "Hoffmann"),
        "de",
    ),
    "polish": NameOrigin(
        ("Marta", "Tomasz", "Agnieszka", "Piotr", "Zofia"),
        ("Kowalski", "Nowak", "Wiśniewski", "Łukaszewicz"),
        "pl",
    ),
    "spanish": NameOrigin(
        ("Mateo", "Lucía", "Javier", "Carmen", "Pablo"),
        ("García", "Fernández", "López", "Martínez"),
        "es",
    ),
    "italian": NameOrigin(
        ("Giulia", "Marco", "Chiara", "Luca"), ("Rossi", "Bianchi", "Ferrari", "Conti"), "it"
    ),
    "indian": NameOrigin(
        ("Priya", "Arjun", "Ananya", "Rohan", "Kavya"), ("Patel", "Sharma", "Iyer", "Reddy"), "hi"
    ),
}

# Skills ---------------------------------------------------------------------------------------

# Skills are written here as a person or an ATS would (the services turn them into canonical keys);
# their display labels come from the canonical table. In running text a label starts in lowercase,
# except for these names of products and methods.
PRODUCT_SKILLS = frozenset(
    {
        "adobe_creative_cloud", "airflow", "azure", "docker", "dynamics_365", "dynamo", "excel", "figma",
        "google_analytics", "jira", "kafka", "kubernetes", "navisworks", "power_bi", "python", "revit",
        "scrum", "solibri", "spark", "tekla", "terraform", "vitec",
    }
)  # fmt: skip

LANGUAGE_NAMES: dict[str, Localized] = {
    "da": {"da": "dansk", "sv": "danska", "en": "Danish"},
    "sv": {"da": "svensk", "sv": "svenska", "en": "Swedish"},
    "en": {"da": "engelsk", "sv": "engelska", "en": "English"},
    "de": {"da": "tysk", "sv": "tyska", "en": "German"},
    "no": {"da": "norsk", "sv": "norska", "en": "Norwegian"},
    "fi": {"da": "finsk", "sv": "finska", "en": "Finnish"},
    "pl": {"da": "polsk", "sv": "polska", "en": "Polish"},
    "es": {"da": "spansk", "sv": "spanska", "en": "Spanish"},
    "it": {"da": "italiensk", "sv": "italienska", "en": "Italian"},
    "hi": {"da": "hindi", "sv": "hindi", "en": "Hindi"},
    "fr": {"da": "fransk", "sv": "franska", "en": "French"},
}

AND: Localized = {"da": "og", "sv": "och", "en": "and"}


# Employers, by country and sector --------------------------------------------------------------

EMPLOYERS: dict[str, dict[str, tuple[str, ...]]] = {
    "DK": {
        "energy": ("Fjordvarme A/S", "Lyngsø Energi", "Gudenå Forsyning"),
        "tech": ("Kattegat Data ApS", "Bølge IT", "Nørrebro Digital"),
        "construction": ("Skovgaard Byg A/S", "Havnens Ingeniører", "Kalø Entreprise A/S"),
        "installation": ("Danvolt Installation", "Tårnby El-Service", "Fyns El & Energi"),
        "property": ("Vestkyst Ejendomme", "Nordvest Bolig", "Bryggen Administration"),
        "agency": ("Mols Kommunikation", "Studio Ålund", "Kronborg Reklame"),
        "finance": ("Jyllands Revision", "Tårnby Økonomiservice"),
    },
    "SE": {
        "energy": ("Västkust Energi AB", "Bergslagen Kraft AB", "Älvkraft Nät AB"),
        "tech": ("Norrsken Data AB", "Öresund Digital AB", "Kvarnholmen IT"),
        "construction": ("Älvstaden Bygg AB", "Granit Entreprenad AB", "Tre Kronor Bygg AB"),
        "installation": ("Hisingen Elteknik AB", "Mälarens El & Energi AB", "Norrbro Installation AB"),
        "property": ("Mälardalens Fastigheter", "Sjöstad Förvaltning AB", "Kvarteret Fastighets AB"),
        "agency": ("Byrå Lingon", "Kungsleden Kommunikation", "Ateljé Norra"),
        "finance": ("Söder Ekonomi AB", "Vasa Redovisning AB"),
    },
    "INTL": {
        "energy": ("Brightline Energy (Hamburg)", "Northsea Grid (Aberdeen)"),
        "tech": ("Meridian Digital (Berlin)", "Kestrel Analytics (Amsterdam)"),
        "construction": ("Atlas Infrastructure (Dublin)", "Ridgeway Construction (Manchester)"),
        "installation": ("Voltway Services (Birmingham)", "Elektro Brandt (Kiel)"),
        "property": ("Harbourside Property (Edinburgh)", "Linden Estates (Vienna)"),
        "agency": ("Northwind Studio (London)", "Lumen Creative (Lisbon)"),
        "finance": ("Calder & Finch (London)", "Moravia Finance Partners (Prague)"),
    },
}

# Professions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """A profession: what its people are called, know, have done and could still learn."""

    key: str
    title: Localized  # for headlines: "IT-projektleder"
    role: Localized  # inside a sentence: "Jeg er IT-projektleder ..."
    focus: dict[str, tuple[str, ...]]
    core_skills: tuple[str, ...]
    extra_skills: tuple[str, ...]
    sectors: tuple[str, ...]
    years: tuple[int, int]
    # Verb phrases: "ledet ..." (da), "lett ..." (sv), "led ..." (en).
    achievements: dict[str, tuple[str, ...]]
    education: Localized
    # Development areas: (FeedbackItem.Category value, text per language).
    gaps: tuple[tuple[str, Localized], ...]
    link: str = ""  # "portfolio" or "git": the kind of link such people often share


PROFILES: dict[str, Profile] = {
    profile.key: profile
    for profile in (
        Profile(
            key="it_pm",
            title={"da": "IT-projektleder", "sv": "IT-projektledare", "en": "IT Project Manager"},
            role={"da": "IT-projektleder", "sv": "IT-projektledare", "en": "an IT project manager"},
            focus={
                "da": ("agile leverancer", "digital transformation", "store systemudskiftninger"),
                "sv": ("agila leveranser", "digital transformation", "stora systembyten"),
                "en": ("agile delivery", "digital transformation", "large system replacements"),
            },
            core_skills=("project management", "prince2", "agile", "stakeholder management", "scrum"),
            extra_skills=("safe", "jira", "itil", "change management", "budgeting", "sap", "risk management"),
            sectors=("tech", "energy"),
            years=(2, 22),
            achievements={
                "da": (
                    "ledet udrulningen af et nyt kundesystem til 40.000 brugere",
                    "styret en portefølje af seks IT-projekter med et samlet budget på 25 millioner kroner",
                    "indført agile arbejdsgange i tre udviklingsteams",
                ),
                "sv": (
                    "lett införandet av ett nytt kundsystem för 40 000 användare",
                    "styrt en portfölj med sex IT-projekt och en total budget på 35 miljoner kronor",
                    "infört agila arbetssätt i tre utvecklingsteam",
                ),
                "en": (
                    "led the rollout of a new customer system to 40,000 users",
                    "ran a portfolio of six IT projects with a combined budget of EUR 3.4 million",
                    "introduced agile ways of working in three development teams",
                ),
            },
            education={
                "da": "Jeg er uddannet cand.it. fra Aarhus Universitet.",
                "sv": "Jag är civilingenjör i datateknik från Chalmers.",
                "en": "I hold an MSc in Information Systems.",
            },
            gaps=(
                (
                    "CERTIFICATION",
                    {
                        "da": "PRINCE2-certificering",
                        "sv": "PRINCE2-certifiering",
                        "en": "PRINCE2 certification",
                    },
                ),
                (
                    "EXPERIENCE",
                    {
                        "da": "Erfaring med store SAP-projekter",
                        "sv": "Erfarenhet av stora SAP-projekt",
                        "en": "Experience with large SAP projects",
                    },
                ),
                ("SKILL", {"da": "Budgetopfølgning", "sv": "Budgetuppföljning", "en": "Budget follow-up"}),
            ),
        ),
        Profile(
            key="marketing",
            title={"da": "Marketingkoordinator", "sv": "Marknadskoordinator", "en": "Marketing Coordinator"},
            role={"da": "marketingkoordinator", "sv": "marknadskoordinator", "en": "a marketing coordinator"},
            focus={
                "da": ("kampagner og sociale medier", "content og video", "B2C-kommunikation"),
                "sv": ("kampanjer och sociala medier", "innehåll och video", "B2C-kommunikation"),
                "en": ("campaigns and social media", "content and video", "consumer communication"),
            },
            core_skills=(
                "marketing",
                "campaign planning",
                "social media",
                "content marketing",
                "copywriting",
            ),
            extra_skills=(
                "video production",
                "seo",
                "google analytics",
                "adobe creative cloud",
                "newsletters",
                "event planning",
                "photography",
            ),
            sectors=("agency", "energy", "property"),
            years=(1, 15),
            achievements={
                "da": (
                    "planlagt og gennemført kampagner, der øgede antallet af nye kunder med 18 %",
                    "produceret videoindhold til sociale medier med over en million visninger",
                    "bygget et nyhedsbrev op fra bunden til 25.000 modtagere",
                ),
                "sv": (
                    "planerat och genomfört kampanjer som ökade antalet nya kunder med 18 %",
                    "producerat videoinnehåll för sociala medier med över en miljon visningar",
                    "byggt upp ett nyhetsbrev från grunden till 25 000 mottagare",
                ),
                "en": (
                    "planned and ran campaigns that grew new customer sign-ups by 18%",
                    "produced social video content with more than a million views",
                    "built a newsletter from scratch to 25,000 subscribers",
                ),
            },
            education={
                "da": "Jeg har en kandidatgrad i kommunikation fra Roskilde Universitet.",
                "sv": (
                    "Jag har en kandidatexamen i medie- och kommunikationsvetenskap från Göteborgs "
                    "universitet."
                ),
                "en": "I have a BA in Marketing and Communications.",
            },
            gaps=(
                ("SKILL", {"da": "Videoproduktion", "sv": "Videoproduktion", "en": "Video production"}),
                (
                    "EXPERIENCE",
                    {
                        "da": "Erfaring med B2B-kampagner",
                        "sv": "Erfarenhet av B2B-kampanjer",
                        "en": "Experience with B2B campaigns",
                    },
                ),
                (
                    "SKILL",
                    {
                        "da": "Google Analytics og måling af effekt",
                        "sv": "Google Analytics och effektmätning",
                        "en": "Google Analytics and measuring impact",
                    },
                ),
            ),
            link="portfolio",
        ),
        Profile(
            key="data",
            title={"da": "Data Engineer", "sv": "Data Engineer", "en": "Data Engineer"},
            role={"da": "data engineer", "sv": "data engineer", "en": "a data engineer"},
            focus={
                "da": ("dataplatforme i skyen", "Python og SQL", "energidata"),
                "sv": ("dataplattformar i molnet", "Python och SQL", "energidata"),
                "en": ("cloud data platforms", "Python and SQL", "energy data"),
            },
            core_skills=("python", "sql", "data engineering", "etl"),
            extra_skills=(
                "kubernetes",
                "docker",
                "airflow",
                "spark",
                "azure",
                "dbt",
                "power bi",
                "terraform",
                "kafka",
            ),
            sectors=("tech", "energy"),
            years=(1, 15),
            achievements={
                "da": (
                    "bygget den dataplatform, der samler målerdata fra 300.000 husstande",
                    "flyttet de vigtigste ETL-job til Airflow og halveret kørselstiden",
                    "udviklet prognosemodeller for energiforbruget i Python",
                ),
                "sv": (
                    "byggt den dataplattform som samlar mätardata från 300 000 hushåll",
                    "flyttat de viktigaste ETL-jobben till Airflow och halverat körtiden",
                    "utvecklat prognosmodeller för energiförbrukning i Python",
                ),
                "en": (
                    "built the data platform that collects meter data from 300,000 households",
                    "moved the critical ETL jobs to Airflow and halved their run time",
                    "developed energy consumption forecasting models in Python",
                ),
            },
            education={
                "da": "Jeg er uddannet civilingeniør i softwareteknologi fra DTU.",
                "sv": "Jag är civilingenjör i teknisk fysik från KTH.",
                "en": "I have an MSc in Computer Science.",
            },
            gaps=(
                (
                    "SKILL",
                    {
                        "da": "Kubernetes i drift",
                        "sv": "Kubernetes i produktion",
                        "en": "Kubernetes in production",
                    },
                ),
                (
                    "EXPERIENCE",
                    {
                        "da": "Erfaring med streamingdata (Kafka)",
                        "sv": "Erfarenhet av strömmande data (Kafka)",
                        "en": "Experience with streaming data (Kafka)",
                    },
                ),
                (
                    "CERTIFICATION",
                    {"da": "Azure-certificering", "sv": "Azure-certifiering", "en": "Azure certification"},
                ),
            ),
            link="git",
        ),
        Profile(
            key="electrician",
            title={"da": "Elektriker", "sv": "Elektriker", "en": "Electrician"},
            role={"da": "elektriker", "sv": "elektriker", "en": "an electrician"},
            focus={
                "da": ("forsyningsnet og målere", "service og fejlfinding", "solceller og ladestandere"),
                "sv": ("elnät och mätare", "service och felsökning", "solceller och laddstolpar"),
                "en": ("grids and meters", "service and fault finding", "solar and EV charging"),
            },
            core_skills=("electrical installation", "high voltage", "electrical safety", "fault finding"),
            extra_skills=("plc", "solar pv", "heat pumps", "smart meters", "ev charging", "district heating"),
            sectors=("installation", "energy"),
            years=(2, 30),
            achievements={
                "da": (
                    "udført service og fejlfinding på 10 kV-anlæg",
                    "installeret ladestandere og solcelleanlæg hos erhvervskunder",
                    "haft ansvaret for udskiftningen af 12.000 elmålere",
                ),
                "sv": (
                    "utfört service och felsökning på 10 kV-anläggningar",
                    "installerat laddstolpar och solcellsanläggningar hos företagskunder",
                    "haft ansvaret för bytet av 12 000 elmätare",
                ),
                "en": (
                    "serviced and fault-found 10 kV installations",
                    "installed EV chargers and solar panels for business customers",
                    "took charge of replacing 12,000 electricity meters",
                ),
            },
            education={
                "da": "Jeg er udlært elektriker og har autorisation som el-installatør.",
                "sv": "Jag har gått elprogrammet och har auktorisation AL från Elsäkerhetsverket.",
                "en": "I trained as an electrician and hold a full installation licence.",
            },
            gaps=(
                (
                    "CERTIFICATION",
                    {
                        "da": "Autorisation til højspændingsarbejde",
                        "sv": "Behörighet för högspänningsarbete",
                        "en": "High-voltage authorisation",
                    },
                ),
                (
                    "EXPERIENCE",
                    {
                        "da": "Erfaring med fjernaflæste målere",
                        "sv": "Erfarenhet av smarta elmätare",
                        "en": "Experience with smart meters",
                    },
                ),
                ("SKILL", {"da": "PLC-programmering", "sv": "PLC-programmering", "en": "PLC programming"}),
            ),
        ),
        Profile(
            key="ux",
            title={"da": "UX-designer", "sv": "UX-designer", "en": "UX Designer"},
            role={"da": "UX-designer", "sv": "UX-designer", "en": "a UX designer"},
            focus={
                "da": ("selvbetjening og apps", "brugerresearch", "designsystemer"),
                "sv": ("självbetjäning och appar", "användarresearch", "designsystem"),
                "en": ("self-service and apps", "user research", "design systems"),
            },
            core_skills=("ux design", "figma", "user research", "prototyping"),
            extra_skills=(
                "accessibility",
                "design systems",
                "usability testing",
                "html/css",
                "service design",
            ),
            sectors=("tech", "agency"),
            years=(1, 14),
            achievements={
                "da": (
                    "redesignet selvbetjeningen, så opkaldene til kundeservice faldt med 30 %",
                    "bygget et designsystem i Figma, som fire teams bruger i dag",
                    "gennemført brugertest med over 60 kunder",
                ),
                "sv": (
                    "gjort om självbetjäningen så att samtalen till kundservice minskade med 30 %",
                    "byggt upp ett designsystem i Figma som fyra team använder i dag",
                    "genomfört användartester med över 60 kunder",
                ),
                "en": (
                    "redesigned the self-service portal, cutting calls to customer service by 30%",
                    "built a Figma design system that four teams use today",
                    "ran usability tests with more than 60 customers",
                ),
            },
            education={
                "da": "Jeg er uddannet interaktionsdesigner fra Designskolen Kolding.",
                "sv": "Jag har en masterexamen i interaktionsdesign från Malmö universitet.",
                "en": "I studied Interaction Design at master's level.",
            },
            gaps=(
                (
                    "SKILL",
                    {
                        "da": "Tilgængelighed (WCAG)",
                        "sv": "Tillgänglighet (WCAG)",
                        "en": "Accessibility (WCAG)",
                    },
                ),
                (
                    "EXPERIENCE",
                    {
                        "da": "Erfaring med designsystemer i stor skala",
                        "sv": "Erfarenhet av designsystem i stor skala",
                        "en": "Experience with design systems at scale",
                    },
                ),
                (
                    "PRESENTATION",
                    {
                        "da": "Præsentation af designvalg for ledelsen",
                        "sv": "Att presentera designval för ledningen",
                        "en": "Presenting design decisions to management",
                    },
                ),
            ),
            link="portfolio",
        ),
        Profile(
            key="finance",
            title={"da": "Controller", "sv": "Controller", "en": "Controller"},
            role={"da": "controller", "sv": "controller", "en": "a controller"},
            focus={
                "da": ("budget og prognoser", "rapportering til ledelsen", "projektøkonomi"),
                "sv": ("budget och prognoser", "rapportering till ledningen", "projektekonomi"),
                "en": ("budgets and forecasts", "management reporting", "project finance"),
            },
            core_skills=("financial reporting", "budgeting", "excel", "forecasting"),
            extra_skills=("sap", "power bi", "ifrs", "navision", "controlling"),
            sectors=("finance", "energy", "property"),
            years=(2, 20),
            achievements={
                "da": (
                    (
                        "udarbejdet månedsregnskab og budgetopfølgning for en forretning med 800 mio. kr. "
                        "i omsætning"
                    ),
                    "automatiseret rapporteringen i Power BI og sparet to dages arbejde om måneden",
                    "ledet budgetprocessen for fem afdelinger",
                ),
                "sv": (
                    (
                        "tagit fram månadsbokslut och budgetuppföljning för en verksamhet som omsätter 1,2 "
                        "miljarder"
                    ),
                    "automatiserat rapporteringen i Power BI och sparat två dagars arbete i månaden",
                    "lett budgetprocessen för fem avdelningar",
                ),
                "en": (
                    (
                        "prepared monthly accounts and budget follow-up for a business with EUR 110 "
                        "million in revenue"
                    ),
                    "automated reporting in Power BI, saving two days of work each month",
                    "led the annual budget process for five departments",
                ),
            },
            education={
                "da": "Jeg er uddannet cand.merc.aud. fra CBS.",
                "sv": "Jag är civilekonom från Handelshögskolan i Göteborg.",
                "en": "I am a chartered accountant with an MSc in Finance.",
            },
            gaps=(
                ("SKILL", {"da": "Power BI", "sv": "Power BI", "en": "Power BI"}),
                (
                    "EXPERIENCE",
                    {
                        "da": "Erfaring med IFRS-rapportering",
                        "sv": "Erfarenhet av IFRS-rapportering",
                        "en": "Experience with IFRS reporting",
                    },
                ),
                (
                    "COMMUNICATION",
                    {
                        "da": "Formidling af tal til kolleger uden for økonomi",
                        "sv": "Att förklara siffror för kollegor utanför ekonomi",
                        "en": "Explaining numbers to colleagues outside finance",
                    },
                ),
            ),
        ),
        Profile(
            key="construction_pm",
            title={
                "da": "Projektleder i byggeriet",
                "sv": "Projektledare bygg",
                "en": "Construction Project Manager",
            },
            role={
                "da": "projektleder i byggeriet",
                "sv": "projektledare inom bygg",
                "en": "a construction project manager",
            },
            focus={
                "da": ("anlæg og fjernvarme", "renovering", "projekter fra udbud til aflevering"),
                "sv": ("bostäder och kontor", "ombyggnad", "projekt från upphandling till överlämning"),
                "en": ("infrastructure", "renovation", "projects from tender to handover"),
            },
            core_skills=("project management", "construction management", "budgeting", "autocad"),
            extra_skills=(
                "bim",
                "procurement",
                "construction contracts",
                "health and safety",
                "revit",
                "stakeholder management",
                "district heating",
            ),
            sectors=("construction", "energy"),
            years=(3, 25),
            achievements={
                "da": (
                    "ledet opførelsen af et fjernvarmeanlæg til 120 mio. kr. fra udbud til aflevering",
                    "styret tre renoveringsprojekter samtidig med skarpt fokus på tid og økonomi",
                    "samarbejdet med kommuner og rådgivere om myndighedsgodkendelser",
                ),
                "sv": (
                    (
                        "lett byggandet av ett kontorshus på 9 000 kvadratmeter från upphandling till "
                        "överlämning"
                    ),
                    "styrt tre ombyggnadsprojekt samtidigt med skarpt fokus på tid och ekonomi",
                    "samarbetat med kommuner och konsulter kring bygglov och myndighetskrav",
                ),
                "en": (
                    "led the construction of a 9,000 square metre office building from tender to handover",
                    "managed three renovation projects at once with a close eye on time and budget",
                    "worked with municipalities and consultants on permits",
                ),
            },
            education={
                "da": "Jeg er uddannet bygningskonstruktør fra VIA University College.",
                "sv": "Jag är högskoleingenjör i byggteknik från Chalmers.",
                "en": "I am a chartered civil engineer.",
            },
            gaps=(
                (
                    "EXPERIENCE",
                    {
                        "da": "Erfaring med projekter over 100 millioner kroner",
                        "sv": "Erfarenhet av projekt över 100 miljoner kronor",
                        "en": "Experience with projects above EUR 10 million",
                    },
                ),
                (
                    "SKILL",
                    {
                        "da": "BIM i projektstyringen",
                        "sv": "BIM i projektstyrningen",
                        "en": "BIM in project control",
                    },
                ),
                (
                    "CERTIFICATION",
                    {
                        "da": "Uddannelse som arbejdsmiljøkoordinator",
                        "sv": "BAS-P-utbildning",
                        "en": "Health and safety coordinator certification",
                    },
                ),
            ),
        ),
        Profile(
            key="site_manager",
            title={"da": "Byggeleder", "sv": "Platschef", "en": "Site Manager"},
            role={"da": "byggeleder", "sv": "platschef", "en": "a site manager"},
            focus={
                "da": ("boligbyggeri", "arbejdsmiljø og sikkerhed", "store byggepladser"),
                "sv": ("bostadsbyggande", "arbetsmiljö och säkerhet", "stora arbetsplatser"),
                "en": ("housing projects", "health and safety", "large building sites"),
            },
            core_skills=("site management", "construction management", "health and safety", "scheduling"),
            extra_skills=(
                "bas-p",
                "bas-u",
                "procurement",
                "concrete works",
                "leadership",
                "lean construction",
                "autocad",
            ),
            sectors=("construction",),
            years=(5, 30),
            achievements={
                "da": (
                    "haft det daglige ansvar for en byggeplads med op til 80 håndværkere",
                    "bragt antallet af arbejdsulykker ned med bedre planlægning og sikkerhedsrunderinger",
                    "afleveret 140 boliger til tiden og uden mangler",
                ),
                "sv": (
                    "haft det dagliga ansvaret för en arbetsplats med upp till 80 hantverkare",
                    "minskat antalet arbetsolyckor med bättre planering och skyddsronder",
                    "lämnat över 140 lägenheter i tid och utan anmärkningar",
                ),
                "en": (
                    "ran a building site with up to 80 tradespeople day to day",
                    "reduced workplace accidents through better planning and safety rounds",
                    "handed over 140 flats on time and without defects",
                ),
            },
            education={
                "da": "Jeg startede som tømrer og har siden taget en uddannelse som byggeleder.",
                "sv": "Jag började som snickare och har sedan utbildat mig till arbetsledare.",
                "en": "I started out as a carpenter and later qualified as a site manager.",
            },
            gaps=(
                (
                    "CERTIFICATION",
                    {
                        "da": "Uddannelse som arbejdsmiljøkoordinator",
                        "sv": "BAS-U-utbildning",
                        "en": "Health and safety coordinator training",
                    },
                ),
                (
                    "EXPERIENCE",
                    {
                        "da": "Erfaring med større boligprojekter",
                        "sv": "Erfarenhet av större bostadsprojekt",
                        "en": "Experience with larger housing projects",
                    },
                ),
                (
                    "COMMUNICATION",
                    {
                        "da": "Skriftlig dokumentation og rapportering",
                        "sv": "Skriftlig dokumentation och rapportering",
                        "en": "Written documentation and reporting",
                    },
                ),
            ),
        ),
        Profile(
            key="property",
            title={"da": "Ejendomsadministrator", "sv": "Fastighetsförvaltare", "en": "Property Manager"},
            role={"da": "ejendomsadministrator", "sv": "fastighetsförvaltare", "en": "a property manager"},
            focus={
                "da": ("boligudlejning", "drift og vedligehold", "energirenovering"),
                "sv": ("bostäder och lokaler", "drift och underhåll", "energieffektivisering"),
                "en": ("residential lettings", "operations and maintenance", "energy retrofits"),
            },
            core_skills=("property management", "tenant relations", "budgeting", "maintenance planning"),
            extra_skills=(
                "energy efficiency",
                "contract management",
                "facility management",
                "tenancy law",
                "vitec",
            ),
            sectors=("property",),
            years=(2, 25),
            achievements={
                "da": (
                    "administreret en portefølje på 1.200 lejemål",
                    "sænket energiforbruget i ejendommene med 15 % med en langsigtet vedligeholdelsesplan",
                    "stået for lejerdialogen og genforhandlet serviceaftaler",
                ),
                "sv": (
                    "förvaltat ett bestånd på 1 200 lägenheter och lokaler",
                    "sänkt energianvändningen i fastigheterna med 15 % med en långsiktig underhållsplan",
                    "skött hyresgästdialogen och omförhandlat serviceavtal",
                ),
                "en": (
                    "managed a portfolio of 1,200 residential and commercial units",
                    "cut energy use across the buildings by 15% through a long-term maintenance plan",
                    "handled tenant relations and renegotiated service contracts",
                ),
            },
            education={
                "da": "Jeg er uddannet ejendomsadministrator og har en HD i organisation og ledelse.",
                "sv": "Jag har en kandidatexamen i fastighetsekonomi från KTH.",
                "en": "I have a degree in Real Estate Management.",
            },
            gaps=(
                (
                    "SKILL",
                    {
                        "da": "Vitec eller et tilsvarende ejendomssystem",
                        "sv": "Vitec Fastighetssystem",
                        "en": "Vitec or a similar property system",
                    },
                ),
                (
                    "EXPERIENCE",
                    {
                        "da": "Erfaring med erhvervslejemål",
                        "sv": "Erfarenhet av kommersiella lokaler",
                        "en": "Experience with commercial tenancies",
                    },
                ),
                (
                    "SKILL",
                    {"da": "Energieffektivisering", "sv": "Energieffektivisering", "en": "Energy efficiency"},
                ),
            ),
        ),
        Profile(
            key="bim",
            title={"da": "BIM-koordinator", "sv": "BIM-samordnare", "en": "BIM Coordinator"},
            role={"da": "BIM-koordinator", "sv": "BIM-samordnare", "en": "a BIM coordinator"},
            focus={
                "da": ("hospitals- og skolebyggeri", "kollisionskontrol", "digital projektering"),
                "sv": ("sjukhus och skolor", "kollisionskontroller", "digital projektering"),
                "en": ("hospitals and schools", "clash detection", "digital design coordination"),
            },
            core_skills=("bim", "revit", "autocad", "navisworks"),
            extra_skills=("solibri", "ifc", "dynamo", "tekla", "3d modelling"),
            sectors=("construction",),
            years=(2, 18),
            achievements={
                "da": (
                    "koordineret BIM-modellerne for et hospitalsbyggeri med otte rådgivere",
                    "sat kollisionskontrol op i Solibri, som fangede fejl før byggestart",
                    "undervist projektteams i Revit og IFC-udveksling",
                ),
                "sv": (
                    "samordnat BIM-modellerna för ett sjukhusbygge med åtta konsulter",
                    "satt upp kollisionskontroller i Solibri som fångade fel före byggstart",
                    "utbildat projektteam i Revit och IFC-utbyte",
                ),
                "en": (
                    "coordinated the BIM models for a hospital project with eight consultants",
                    "set up clash detection in Solibri that caught errors before construction started",
                    "trained project teams in Revit and IFC exchange",
                ),
            },
            education={
                "da": "Jeg er uddannet arkitekt fra Arkitektskolen Aarhus.",
                "sv": "Jag är byggnadsingenjör med inriktning mot BIM.",
                "en": "I am an architect by training and a certified BIM coordinator.",
            },
            gaps=(
                ("SKILL", {"da": "Dynamo-scripting", "sv": "Dynamo-skriptning", "en": "Dynamo scripting"}),
                (
                    "EXPERIENCE",
                    {
                        "da": "Erfaring med BIM-koordinering på tværs af fag",
                        "sv": "Erfarenhet av BIM-samordning över flera discipliner",
                        "en": "Experience coordinating BIM across disciplines",
                    },
                ),
                (
                    "CERTIFICATION",
                    {
                        "da": "buildingSMART-certificering",
                        "sv": "buildingSMART-certifiering",
                        "en": "buildingSMART certification",
                    },
                ),
            ),
            link="portfolio",
        ),
    )
}

# CV building blocks --------------------------------------------------------------------------

CV_INTRO: Localized = {
    "da": "Jeg er {role} med {years} års erfaring og bor i {city}.",
    "sv": "Jag är {role} med {years} års erfarenhet och bor i {city}.",
    "en": "I am {role} with {years} of experience, based in {city}.",
}
CV_CURRENT_JOB: Localized = {
    "da": "Hos {employer} har jeg {achievement}.",
    "sv": "På {employer} har jag {achievement}.",
    "en": "At {employer} I {achievement}.",
}
CV_PREVIOUS_JOB: Localized = {
    "da": "Før det arbejdede jeg {years} år hos {employer}.",
    "sv": "Innan dess arbetade jag {years} år på {employer}.",
    "en": "Before that I spent {years} at {employer}.",
}
CV_ALSO: Localized = {
    "da": "Jeg har også {achievement}.",
    "sv": "Jag har också {achievement}.",
    "en": "I also {achievement}.",
}
CV_SKILLS: Localized = {
    "da": "Mine stærkeste kompetencer er {skills}.",
    "sv": "Mina främsta kompetenser är {skills}.",
    "en": "My main skills are {skills}.",
}
CV_LANGUAGES: Localized = {
    "da": "Jeg taler {languages}.",
    "sv": "Jag talar {languages}.",
    "en": "I speak {languages}.",
}
CV_CLOSINGS: dict[str, tuple[str, ...]] = {
    "da": (
        "Jeg trives bedst i teams, hvor der er kort vej fra idé til handling.",
        "Jeg vil gerne være med til at gøre den grønne omstilling konkret.",
        "Jeg er kendt for at holde hovedet koldt, når tidsplanen strammer.",
        "Jeg deler gerne ud af min viden og hjælper nye kolleger godt i gang.",
        "I min fritid træner jeg et ungdomshold i håndbold.",
    ),
    "sv": (
        "Jag trivs bäst i team där vägen från idé till handling är kort.",
        "Jag vill vara med och bygga hållbart på riktigt.",
        "Jag är känd för att hålla huvudet kallt när tidsplanen är pressad.",
        "Jag delar gärna med mig av det jag kan och hjälper nya kollegor in i jobbet.",
        "På fritiden tränar jag ett ungdomslag i innebandy.",
    ),
    "en": (
        "I do my best work in teams where ideas turn into action quickly.",
        "I want to help make the green transition tangible.",
        "I am known for staying calm when the schedule gets tight.",
        "I enjoy sharing what I know and helping new colleagues get started.",
        "In my spare time I coach a youth football team.",
    ),
}
HEADLINE_FOCUS: Localized = {
    "da": "{title} med fokus på {focus}",
    "sv": "{title} med fokus på {focus}",
    "en": "{title}, {focus}",
}
HEADLINE_SENIOR: Localized = {
    "da": "{title} med {years} års erfaring",
    "sv": "{title} med {years} års erfarenhet",
    "en": "{title} with {years} years' experience",
}
AVAILABILITY: dict[str, tuple[str, ...]] = {
    "da": ("Kan starte med det samme", "1 måneds opsigelse", "3 måneders opsigelse", "Ledig fra efteråret"),
    "sv": (
        "Kan börja direkt",
        "1 månads uppsägningstid",
        "3 månaders uppsägningstid",
        "Tillgänglig från hösten",
    ),
    "en": (
        "Available immediately",
        "One month's notice",
        "Three months' notice",
        "Available from the autumn",
    ),
}

# Feedback, in the language the recruiter writes it --------------------------------------------

CASE_STRENGTH: Localized = {
    "da": "Din præsentation af caseopgaven var den klareste, vi så.",
    "sv": "Din presentation av caseuppgiften var den tydligaste vi såg.",
    "en": "Your presentation of the case assignment was the clearest we saw.",
}
STRENGTHS: dict[str, tuple[str, ...]] = {
    "da": (
        "Du viste solid erfaring med {skill}, især i dine eksempler fra {employer}.",
        "Du stillede skarpe spørgsmål om, hvordan vi arbejder med {skill}.",
        "Du forklarede komplekse problemstillinger enkelt, og det gjorde indtryk på hele panelet.",
        "Du havde sat dig grundigt ind i vores projekter og vores kunder.",
        "Dine referencer beskrev dig som en, der får et team til at lykkes.",
        "Du var rolig og konkret, også da vi pressede på i samtalen.",
    ),
    "sv": (
        "Du visade gedigen erfarenhet av {skill}, särskilt i dina exempel från {employer}.",
        "Du ställde skarpa frågor om hur vi arbetar med {skill}.",
        "Du förklarade komplexa frågor enkelt, och det gjorde intryck på hela panelen.",
        "Du hade satt dig grundligt in i våra projekt och våra kunder.",
        "Dina referenser beskrev dig som någon som får ett team att lyckas.",
        "Du var lugn och konkret, även när vi pressade dig i intervjun.",
    ),
    "en": (
        "You showed solid experience with {skill}, especially in your examples from {employer}.",
        "You asked sharp questions about how we work with {skill}.",
        "You explained complex problems simply, and the whole panel noticed.",
        "You had done your homework on our projects and our customers.",
        "Your references described you as someone who makes a team succeed.",
        "You stayed calm and concrete, even when we pushed you in the interview.",
    ),
}
# Development areas every profession can have, besides the profession's own.
GENERAL_GAPS: tuple[tuple[str, Localized], ...] = (
    (
        "PRESENTATION",
        {
            "da": "Struktur i præsentationen af caseopgaven",
            "sv": "Struktur i presentationen av caseuppgiften",
            "en": "Structure in the case presentation",
        },
    ),
    (
        "COMMUNICATION",
        {
            "da": "Mere konkrete eksempler i svarene",
            "sv": "Mer konkreta exempel i svaren",
            "en": "More concrete examples in your answers",
        },
    ),
)
NEXT_STEPS: dict[str, tuple[str, ...]] = {
    "da": (
        "Tag gerne en snak med mig om feedbacken – ring eller skriv, når det passer dig.",
        "Søg igen, når vi slår en lignende stilling op.",
        "Bliv i vores talentpulje, så kontakter vi dig om relevante stillinger.",
        "Opdater dit CV, når du har nye projekter at vise frem.",
        "Find et kursus eller en certificering, der lukker det hul, vi talte om.",
    ),
    "sv": (
        "Hör gärna av dig om du vill prata om återkopplingen – ring eller mejla när det passar dig.",
        "Sök igen när vi annonserar en liknande tjänst.",
        "Stanna i vår talangpool, så hör vi av oss om relevanta tjänster.",
        "Uppdatera ditt CV när du har nya projekt att visa upp.",
        "Hitta en kurs eller certifiering som täcker det vi pratade om.",
    ),
    "en": (
        "Feel free to call or write if you would like to talk the feedback through.",
        "Apply again when we post a similar role.",
        "Stay in our talent pool, and we will contact you about relevant roles.",
        "Update your CV when you have new projects to show.",
        "Look for a course or certification that closes the gap we talked about.",
    ),
}
FEEDBACK_FREE_TEXT: Localized = {
    "da": "Meget tæt løb – vi vil gerne holde kontakten.",
    "sv": "Mycket jämnt – vi vill gärna hålla kontakten.",
    "en": "A very close call – we would like to stay in touch.",
}

# Messages to candidates, in the candidate's language -----------------------------------------

FEEDBACK_REQUEST_QUESTIONS: dict[str, tuple[str, ...]] = {
    "da": (
        "Kan I uddybe, hvad der gjorde forskellen i den sidste samtale?",
        "Jeg vil gerne høre mere om, hvordan min caseopgave blev vurderet.",
        "Hvad kan jeg gøre for at stå stærkere næste gang?",
    ),
    "sv": (
        "Kan ni berätta mer om vad som avgjorde i den sista intervjun?",
        "Jag vill gärna höra mer om hur min caseuppgift bedömdes.",
        "Vad kan jag göra för att stå starkare nästa gång?",
    ),
    "en": (
        "Could you tell me more about what made the difference in the final round?",
        "I would like to hear how my case assignment was assessed.",
        "What could I do to be a stronger candidate next time?",
    ),
}
# Organizations -------------------------------------------------------------------------------


@dataclass(frozen=True)
class UserSpec:
    email: str
    first_name: str
    last_name: str
    role: str  # Membership.Role value
    title: str


@dataclass(frozen=True)
class OpeningSpec:
    title: str
    language: str
    city: str
    status: str  # Opening.Status value
    profile: str
    must_have: tuple[str, ...]
    nice_to_have: tuple[str, ...]
    languages: tuple[str, ...]
    description: str
    recruiters: tuple[str, ...]  # user emails
    opened_days_ago: int


@dataclass(frozen=True)
class OrganizationSpec:
    slug: str
    name: str
    language: str
    time_zone: str
    country: str
    sender_name: str
    sender_email: str
    signature: str
    ats: str  # the ``source`` of candidates and openings that came from the ATS
    users: tuple[UserSpec, ...]
    # (city, weight) for people from the organization's country and from the neighbour country.
    cities: tuple[tuple[str, int], ...]
    neighbour_cities: tuple[tuple[str, int], ...]
    # (nationality, weight): "da", "sv" or "intl".
    nationalities: tuple[tuple[str, int], ...]
    tags: tuple[str, ...]
    junior_tag: str
    senior_tag: str
    company_gap: Localized  # a COMPANY_UNDERSTANDING development area
    notes: tuple[str, ...]  # recruiters' internal notes on runner-ups
    consent_title: Localized
    consent_body: Localized
    openings: tuple[OpeningSpec, ...]


KYSTLYS = OrganizationSpec(
    slug="kystlys",
    name="Kystlys A/S",
    language="da",
    time_zone="Europe/Copenhagen",
    country="DK",
    sender_name="Kystlys Rekruttering",
    sender_email="rekruttering@kystlys.example",
    signature="Kystlys A/S\nHavnegade 14, 8000 Aarhus C\nwww.kystlys.example",
    ats="teamtailor",
    users=(
        UserSpec("mette@kystlys.example", "Mette", "Kjær", "RECRUITER", "Senior Recruiter"),
        UserSpec("jonas@kystlys.example", "Jonas", "Vestergaard", "ADMIN", "HR-chef"),
    ),
    cities=(
        ("Aarhus", 30),
        ("København", 25),
        ("Frederiksberg", 4),
        ("Odense", 8),
        ("Aalborg", 6),
        ("Randers", 4),
        ("Silkeborg", 4),
        ("Skanderborg", 4),
        ("Horsens", 4),
        ("Vejle", 4),
        ("Kolding", 3),
        ("Roskilde", 4),
        ("Esbjerg", 2),
        ("Herning", 2),
    ),
    neighbour_cities=(("Malmö", 5), ("Lund", 3), ("Helsingborg", 2)),
    nationalities=(("da", 72), ("sv", 6), ("intl", 22)),
    tags=(
        "kan flytte",
        "deltid",
        "henvist af medarbejder",
        "jobmesse 2025",
        "tidligere praktikant",
        "kørekort",
    ),
    junior_tag="nyuddannet",
    senior_tag="senior",
    company_gap={
        "da": "Kendskab til forsyningsbranchen og dens regulering",
        "en": "Knowledge of the utility sector and its regulation",
    },
    notes=(
        "Kontakt først ved næste lignende stilling.",
        "Stærk faglighed, mindre erfaring med vores systemer.",
        "Kan starte med kort varsel.",
        "Meget tæt på – panelet var delt til det sidste.",
    ),
    consent_title={
        "da": "Bliv i vores talentpulje",
        "sv": "Stanna i vår talangpool",
        "en": "Stay in our talent pool",
    },
    consent_body={
        "da": (
            "Kystlys A/S gemmer din profil i 12 måneder og kontakter dig om stillinger, der passer til dig. "
            "Du kan til enhver tid trække dit samtykke tilbage."
        ),
        "sv": (
            "Kystlys A/S sparar din profil i 12 månader och hör av sig om tjänster som passar dig. "
            "Du kan när som helst återkalla ditt samtycke."
        ),
        "en": (
            "Kystlys A/S keeps your profile for 12 months and contacts you about roles that fit you. "
            "You can withdraw your consent at any time."
        ),
    },
    openings=(
        OpeningSpec(
            title="IT-projektleder",
            language="da",
            city="Aarhus",
            status="OPEN",
            profile="it_pm",
            must_have=("project management", "prince2", "stakeholder management"),
            nice_to_have=("agile", "sap", "itil"),
            languages=("da", "en"),
            description=(
                "Vil du stå i spidsen for udrulningen af vores nye kundesystem? Som IT-projektleder hos "
                "Kystlys får du ansvaret for planlægning, økonomi og fremdrift på tværs af IT, "
                "kundeservice og "
                "eksterne leverandører.\n\nDu har erfaring med PRINCE2 eller en tilsvarende projektmodel og "
                "trives med mange interessenter. Du bliver en del af et team på otte i vores IT-afdeling på "
                "havnen i Aarhus."
            ),
            recruiters=("mette@kystlys.example",),
            opened_days_ago=12,
        ),
        OpeningSpec(
            title="Marketingkoordinator",
            language="da",
            city="København",
            status="FILLED",
            profile="marketing",
            must_have=("marketing", "campaign planning", "social media"),
            nice_to_have=("video production", "seo", "copywriting"),
            languages=("da",),
            description=(
                "Vi søger en marketingkoordinator, der kan planlægge og gennemføre vores kampagner om "
                "energibesparelser og grøn strøm. Du skriver godt, kender de sociale medier indefra og har "
                "lyst "
                "til selv at producere korte videoer.\n\nDu refererer til vores kommunikationschef og "
                "arbejder "
                "tæt sammen med kundeservice og salg."
            ),
            recruiters=("mette@kystlys.example",),
            opened_days_ago=120,
        ),
        OpeningSpec(
            title="Data Engineer",
            language="en",
            city="Aarhus",
            status="OPEN",
            profile="data",
            must_have=("python", "sql", "etl"),
            nice_to_have=("kubernetes", "airflow", "azure", "dbt"),
            languages=("en",),
            description=(
                "Kystlys collects meter data from more than 300,000 households and businesses. As a Data "
                "Engineer you will build and run the pipelines that turn it into forecasts, invoices and "
                "insight for our customers.\n\nYou write solid Python and SQL and have built ETL jobs that "
                "others depend on; experience with Airflow, Kubernetes or Azure is a plus. The team works in "
                "English and sits in Aarhus, with two days a week from home."
            ),
            recruiters=("mette@kystlys.example", "jonas@kystlys.example"),
            opened_days_ago=20,
        ),
        OpeningSpec(
            title="Elektriker til forsyningsnettet",
            language="da",
            city="Aarhus",
            status="OPEN",
            profile="electrician",
            must_have=("electrical installation", "high voltage"),
            nice_to_have=("smart meters", "fault finding", "ev charging"),
            languages=("da",),
            description=(
                "Vi søger en erfaren elektriker til drift og vedligehold af vores forsyningsnet i "
                "Østjylland. "
                "Du arbejder med fejlfinding, udskiftning af målere og installationer i både lav- og "
                "højspænding.\n\nDu har svendebrev som elektriker og kørekort B og er tryg ved at tage "
                "rådighedsvagt. Vi tilbyder firmabil, grundig oplæring og gode kolleger i driftsafdelingen."
            ),
            recruiters=("mette@kystlys.example",),
            opened_days_ago=30,
        ),
        OpeningSpec(
            title="UX Designer",
            language="en",
            city="København",
            status="OPEN",
            profile="ux",
            must_have=("ux design", "figma", "user research"),
            nice_to_have=("accessibility", "design systems"),
            languages=("en", "da"),
            description=(
                "Help us make energy simple. As UX Designer you will own the design of our customer app and "
                "self-service portal, from user research to tested prototypes in Figma.\n\nYou will work "
                "with "
                "two product teams and our customer service, and you care about accessibility. The team "
                "speaks "
                "English; Danish is a plus."
            ),
            recruiters=("mette@kystlys.example",),
            opened_days_ago=8,
        ),
        OpeningSpec(
            title="Controller",
            language="da",
            city="Aarhus",
            status="CLOSED",
            profile="finance",
            must_have=("financial reporting", "budgeting", "excel"),
            nice_to_have=("sap", "power bi"),
            languages=("da",),
            description=(
                "Som controller i vores økonomiafdeling får du ansvaret for månedsafslutning, "
                "budgetopfølgning og rapportering til ledelsen. Du er skarp i Excel, har erfaring med SAP og "
                "kan forklare tallene, så alle forstår dem. Stillingen er på fuld tid med base i Aarhus."
            ),
            recruiters=("jonas@kystlys.example",),
            opened_days_ago=200,
        ),
        OpeningSpec(
            title="Projektleder, fjernvarme",
            language="da",
            city="Aarhus",
            status="FILLED",
            profile="construction_pm",
            must_have=("project management", "construction management", "budgeting"),
            nice_to_have=("district heating", "procurement", "autocad"),
            languages=("da",),
            description=(
                "Vi udbygger fjernvarmen i Aarhus-området og søger en projektleder, der kan føre "
                "anlægsprojekter fra udbud til aflevering. Du har en byggeteknisk baggrund, styr på "
                "økonomi og "
                "tidsplaner og erfaring med at samarbejde med kommuner, rådgivere og entreprenører."
            ),
            recruiters=("mette@kystlys.example", "jonas@kystlys.example"),
            opened_days_ago=300,
        ),
        OpeningSpec(
            title="Senior Data Analyst",
            language="en",
            city="København",
            status="FILLED",
            profile="data",
            must_have=("sql", "power bi", "python"),
            nice_to_have=("forecasting", "azure"),
            languages=("en",),
            description=(
                "As Senior Data Analyst you will help our trading and customer teams make better decisions "
                "with data. You are fluent in SQL, build dashboards in Power BI and reach for Python when a "
                "spreadsheet is not enough. The role is based in our Copenhagen office."
            ),
            recruiters=("mette@kystlys.example",),
            opened_days_ago=160,
        ),
        OpeningSpec(
            title="Kommunikationskonsulent",
            language="da",
            city="København",
            status="OPEN",
            profile="marketing",
            must_have=("content marketing", "copywriting"),
            nice_to_have=("video production", "google analytics", "newsletters"),
            languages=("da", "en"),
            description=(
                "Vi søger en kommunikationskonsulent, der kan fortælle historien om den grønne omstilling, "
                "så "
                "vores kunder kan se sig selv i den. Du skriver indhold til web, nyhedsbreve og sociale "
                "medier "
                "og planlægger kampagner sammen med marketing. Erfaring med video og Google Analytics er "
                "et plus."
            ),
            recruiters=("mette@kystlys.example",),
            opened_days_ago=5,
        ),
        OpeningSpec(
            title="Scrum Master",
            language="en",
            city="Aarhus",
            status="FILLED",
            profile="it_pm",
            must_have=("scrum", "agile"),
            nice_to_have=("safe", "jira", "stakeholder management"),
            languages=("en",),
            description=(
                "We are looking for a Scrum Master to support two development teams working on our billing "
                "platform. You coach the teams in agile practices, remove obstacles and work closely with "
                "product owners and stakeholders across the business."
            ),
            recruiters=("jonas@kystlys.example",),
            opened_days_ago=240,
        ),
    ),
)

FJALLBO = OrganizationSpec(
    slug="fjallbo",
    name="Fjällbo Bygg AB",
    language="sv",
    time_zone="Europe/Stockholm",
    country="SE",
    sender_name="Fjällbo Bygg Rekrytering",
    sender_email="rekrytering@fjallbo.example",
    signature="Fjällbo Bygg AB\nLilla Bommen 3, 411 04 Göteborg\nwww.fjallbo.example",
    ats="teamtailor",
    users=(
        UserSpec("anna@fjallbo.example", "Anna", "Lindqvist", "RECRUITER", "Rekryterare"),
        UserSpec("erik@fjallbo.example", "Erik", "Sandberg", "ADMIN", "HR-chef"),
    ),
    cities=(
        ("Göteborg", 30),
        ("Stockholm", 25),
        ("Mölndal", 5),
        ("Kungsbacka", 4),
        ("Borås", 4),
        ("Solna", 4),
        ("Uppsala", 6),
        ("Västerås", 3),
        ("Örebro", 2),
        ("Linköping", 3),
        ("Norrköping", 2),
        ("Jönköping", 2),
        ("Malmö", 4),
        ("Helsingborg", 2),
        ("Lund", 2),
    ),
    neighbour_cities=(("Göteborg", 3), ("Malmö", 2), ("København", 1)),
    nationalities=(("sv", 74), ("da", 6), ("intl", 20)),
    tags=("kan flytta", "deltid", "tips från medarbetare", "mässa 2025", "tidigare praktikant", "B-körkort"),
    junior_tag="nyexaminerad",
    senior_tag="senior",
    company_gap={
        "sv": "Kännedom om våra projekt och bostadsmarknaden i regionen",
        "en": "Knowledge of our projects and the regional housing market",
    },
    notes=(
        "Kontakta först vid nästa liknande tjänst.",
        "Stark i sak, mindre erfarenhet av våra system.",
        "Kan börja med kort varsel.",
        "Mycket jämnt – panelen var delad in i det sista.",
    ),
    consent_title={
        "da": "Bliv i vores talentpulje",
        "sv": "Stanna i vår talangpool",
        "en": "Stay in our talent pool",
    },
    consent_body={
        "da": (
            "Fjällbo Bygg AB gemmer din profil i 12 måneder og kontakter dig om stillinger, der passer til "
            "dig. Du kan til enhver tid trække dit samtykke tilbage."
        ),
        "sv": (
            "Fjällbo Bygg AB sparar din profil i 12 månader och hör av sig om tjänster som passar dig. "
            "Du kan när som helst återkalla ditt samtycke."
        ),
        "en": (
            "Fjällbo Bygg AB keeps your profile for 12 months and contacts you about roles that fit you. "
            "You can withdraw your consent at any time."
        ),
    },
    openings=(
        OpeningSpec(
            title="Projektledare bygg",
            language="sv",
            city="Göteborg",
            status="OPEN",
            profile="construction_pm",
            must_have=("project management", "construction management", "budgeting"),
            nice_to_have=("construction contracts", "bim", "procurement"),
            languages=("sv",),
            description=(
                "Fjällbo Bygg söker en projektledare för våra bostads- och kontorsprojekt i "
                "Göteborgsregionen. "
                "Du leder projekten från upphandling till överlämning och ansvarar för tid, ekonomi och "
                "kvalitet.\n\nDu har en byggteknisk utbildning, erfarenhet av AB 04 och ABT 06 och trivs i "
                "dialog med beställare, konsulter och myndigheter."
            ),
            recruiters=("anna@fjallbo.example",),
            opened_days_ago=14,
        ),
        OpeningSpec(
            title="Platschef",
            language="sv",
            city="Stockholm",
            status="OPEN",
            profile="site_manager",
            must_have=("site management", "health and safety", "scheduling"),
            nice_to_have=("bas-u", "lean construction", "leadership"),
            languages=("sv",),
            description=(
                "Som platschef har du helhetsansvaret för produktionen i ett av våra bostadsprojekt i "
                "Stockholm, med omkring 120 lägenheter. Du leder arbetsledare och hantverkare, planerar "
                "arbetet "
                "och ser till att alla går hem friska varje dag.\n\nDu har flera års erfarenhet av "
                "platsledning "
                "och god kunskap om arbetsmiljöarbete."
            ),
            recruiters=("anna@fjallbo.example", "erik@fjallbo.example"),
            opened_days_ago=25,
        ),
        OpeningSpec(
            title="Fastighetsförvaltare",
            language="sv",
            city="Göteborg",
            status="OPEN",
            profile="property",
            must_have=("property management", "tenant relations", "budgeting"),
            nice_to_have=("vitec", "energy efficiency", "maintenance planning"),
            languages=("sv",),
            description=(
                "Vi söker en fastighetsförvaltare till vårt växande bestånd av bostäder och lokaler i "
                "Göteborg. Du ansvarar för ekonomi, underhållsplaner och hyresgästkontakter, och du driver "
                "arbetet med energieffektivisering. Erfarenhet av Vitec eller liknande system är meriterande."
            ),
            recruiters=("anna@fjallbo.example",),
            opened_days_ago=9,
        ),
        OpeningSpec(
            title="BIM-samordnare",
            language="sv",
            city="Göteborg",
            status="FILLED",
            profile="bim",
            must_have=("bim", "revit", "navisworks"),
            nice_to_have=("solibri", "ifc"),
            languages=("sv", "en"),
            description=(
                "Som BIM-samordnare håller du ihop modellerna i våra projekt, från projektering till "
                "produktion. Du sätter upp kollisionskontroller, stöttar konsulterna och utbildar våra "
                "platsorganisationer. Du kan Revit och Navisworks, och Solibri är ett plus."
            ),
            recruiters=("anna@fjallbo.example",),
            opened_days_ago=180,
        ),
        OpeningSpec(
            title="UX Designer",
            language="en",
            city="Stockholm",
            status="CLOSED",
            profile="ux",
            must_have=("ux design", "figma", "prototyping"),
            nice_to_have=("user research", "service design"),
            languages=("en",),
            description=(
                "We are building a tenant app for our properties in Stockholm and Gothenburg. As UX Designer "
                "you will talk to tenants, prototype in Figma and work with our developers to ship something "
                "people like to use. Swedish is a plus but not required."
            ),
            recruiters=("erik@fjallbo.example",),
            opened_days_ago=150,
        ),
        OpeningSpec(
            title="Elektriker",
            language="sv",
            city="Stockholm",
            status="OPEN",
            profile="electrician",
            must_have=("electrical installation", "fault finding"),
            nice_to_have=("ev charging", "solar pv", "electrical safety"),
            languages=("sv",),
            description=(
                "Vi söker en elektriker till vår serviceorganisation i Stockholm. Du arbetar med "
                "installationer, felsökning och service i våra bostäder och lokaler, och med laddstolpar och "
                "solceller i nya projekt. Du har auktorisation eller är på väg att ta den, och B-körkort."
            ),
            recruiters=("anna@fjallbo.example",),
            opened_days_ago=18,
        ),
        OpeningSpec(
            title="Marknadskoordinator",
            language="sv",
            city="Göteborg",
            status="FILLED",
            profile="marketing",
            must_have=("marketing", "campaign planning", "copywriting"),
            nice_to_have=("social media", "event planning", "photography"),
            languages=("sv",),
            description=(
                "Som marknadskoordinator planerar och genomför du våra kampanjer för nyproducerade bostäder. "
                "Du skriver texter, tar fram innehåll för sociala medier och ansvarar för visningar och "
                "säljevenemang tillsammans med säljteamet."
            ),
            recruiters=("anna@fjallbo.example",),
            opened_days_ago=130,
        ),
        OpeningSpec(
            title="IT-projektledare",
            language="sv",
            city="Stockholm",
            status="FILLED",
            profile="it_pm",
            must_have=("project management", "agile", "stakeholder management"),
            nice_to_have=("sap", "prince2", "change management"),
            languages=("sv", "en"),
            description=(
                "Vi inför ett nytt affärssystem och söker en IT-projektledare som håller ihop införandet. Du "
                "planerar, följer upp och kommunicerar med användare i hela organisationen. Du har "
                "erfarenhet "
                "av agila och klassiska projektmodeller, gärna även av SAP."
            ),
            recruiters=("erik@fjallbo.example",),
            opened_days_ago=210,
        ),
        OpeningSpec(
            title="Arbetsledare",
            language="sv",
            city="Göteborg",
            status="OPEN",
            profile="site_manager",
            must_have=("construction management", "health and safety"),
            nice_to_have=("bas-u", "concrete works", "scheduling"),
            languages=("sv",),
            description=(
                "Vi söker en arbetsledare till ett större ombyggnadsprojekt i centrala Göteborg. Du planerar "
                "det dagliga arbetet, leder våra hantverkare och underentreprenörer och följer upp "
                "kvalitet och "
                "arbetsmiljö. BAS-U-utbildning är meriterande."
            ),
            recruiters=("anna@fjallbo.example",),
            opened_days_ago=4,
        ),
        OpeningSpec(
            title="Project Controller",
            language="en",
            city="Stockholm",
            status="FILLED",
            profile="finance",
            must_have=("budgeting", "forecasting", "financial reporting"),
            nice_to_have=("power bi", "excel"),
            languages=("en",),
            description=(
                "As Project Controller you follow up budgets and forecasts for our construction projects in "
                "the Stockholm region. You work closely with project managers, build reports in Power BI and "
                "make sure the numbers tell the real story. The role is in English; Swedish is a plus."
            ),
            recruiters=("erik@fjallbo.example",),
            opened_days_ago=190,
        ),
    ),
)

ORGANIZATIONS: tuple[OrganizationSpec, ...] = (KYSTLYS, FJALLBO)

SUPERUSER = UserSpec("admin@talentpool.example", "Admin", "", "ADMIN", "")
SUPERUSER_USERNAME = "admin"
PASSWORD = "talentpool-demo"
