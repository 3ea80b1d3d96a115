"""Deterministic, realistic demo data, created through the real services so every rule holds.

Four partner organisations (Madrid, Nicosia, Palermo, Athens), two coordinators each, 60 volunteers and
120 mentees with languages, skills, weekly availability and help requests, plus named demo logins and one
approved pair (with its conversation) between the demo volunteer and the demo mentee.

It works in two steps:

1. *Plan* (:func:`plan`): a pure function of the seed and today's date that describes every person.
   Each organisation's volunteers and mentees draw from their own ``random.Random``, so the plan never
   depends on what is already in the database: the same seed gives the same logins and data every time.
2. *Apply* (:class:`DemoSeeder`): creates, through the services, whatever in the plan is missing. People
   are keyed by e-mail and organisations by slug, so running it again creates nothing new.

To seed something more (e.g. slots or sessions), add a ``seed_...`` step to :meth:`DemoSeeder.run`.
"""

import datetime
import random
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import hashers
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import Language, LanguageLevel, Organisation, Role, Skill, User
from accounts.services import user_create
from mentees.models import ConsentMethod, Mentee, Urgency, minor_birth_year_floor
from mentees.services import consent_record, help_request_close, help_request_create, mentee_signup
from scheduling.services.availability import availability_replace
from volunteers.models import VettingStatus, Volunteer
from volunteers.services import vetting_record, volunteer_signup

PASSWORD = "demo-mentoring-2026"  # noqa: S105 - the published password of every demo account
DEFAULT_SEED = 2026
VOLUNTEERS_PER_ORGANISATION = 15
MENTEES_PER_ORGANISATION = 30

NAMED_LOGINS = [
    ("coordinator.madrid@demo.example", "coordinator of Puentes Madrid (also .nicosia, .palermo, .athens)"),
    ("safeguarding.madrid@demo.example", "second coordinator of the same organisation"),
    ("volunteer@demo.example", "vetted volunteer in Madrid (Arabic, English, Spanish; CV and digital skills)"),
    ("mentee@demo.example", "adult mentee in Madrid (Arabic), paired with the demo volunteer"),
    ("minor@demo.example", "16-year-old mentee waiting for a guardian's consent"),
    ("admin@demo.example", "staff: the Django admin at /admin/"),
]

Window = tuple[int, int, int]  # (day 0 = Monday, start minute, end minute), local to the person


def hm(hours: int, minutes: int = 0) -> int:
    return hours * 60 + minutes


# --- Places ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Coordinator:
    email_prefix: str
    display_name: str
    languages: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Place:
    slug: str
    name: str
    country: str
    city: str
    timezone: str
    local_language: str
    local_language_name: str
    coordinators: tuple[Coordinator, ...]
    # Where the volunteers come from (a key of VOLUNTEER_BACKGROUNDS) and the mentees' first language,
    # each with its weight in this place.
    volunteer_backgrounds: tuple[tuple[str, int], ...]
    mentee_languages: tuple[tuple[str, int], ...]


PLACES = [
    Place(
        "puentes-madrid",
        "Puentes Madrid",
        "ES",
        "Madrid",
        "Europe/Madrid",
        "es",
        "Spanish",
        (
            Coordinator("coordinator", "Inés Romero", (("es", "native"), ("en", "fluent"), ("fr", "basic"))),
            Coordinator("safeguarding", "Youssef Benali", (("ar", "native"), ("es", "fluent"), ("fr", "fluent"))),
        ),
        (("es", 7), ("en", 2), ("ar", 2), ("fr", 1), ("uk", 1), ("pt", 1), ("de", 1)),
        (("ar", 6), ("es", 3), ("uk", 3), ("fr", 2), ("wo", 1), ("bm", 1), ("en", 1)),
    ),
    Place(
        "nicosia-welcome",
        "Nicosia Welcome Network",
        "CY",
        "Nicosia",
        "Asia/Nicosia",
        "el",
        "Greek",
        (
            Coordinator("coordinator", "Eleni Georgiou", (("el", "native"), ("en", "fluent"))),
            Coordinator("safeguarding", "Marios Christodoulou", (("el", "native"), ("en", "fluent"), ("ar", "basic"))),
        ),
        (("el", 7), ("en", 3), ("ar", 2), ("fa", 1), ("uk", 1), ("tr", 1)),
        (("ar", 6), ("ckb", 2), ("ku", 1), ("fa", 2), ("so", 2), ("en", 2), ("ln", 1), ("bn", 1), ("uk", 1)),
    ),
    Place(
        "palermo-ponti",
        "Ponti Palermo",
        "IT",
        "Palermo",
        "Europe/Rome",
        "it",
        "Italian",
        (
            Coordinator("coordinator", "Francesca Lo Bianco", (("it", "native"), ("en", "fluent"), ("fr", "fluent"))),
            Coordinator("safeguarding", "Salvatore Russo", (("it", "native"), ("en", "basic"))),
        ),
        (("it", 7), ("en", 2), ("fr", 2), ("ti", 1), ("ar", 1), ("bn", 1), ("de", 1)),
        (("ti", 4), ("fr", 3), ("ar", 3), ("bn", 2), ("en", 2), ("ha", 1), ("bm", 1), ("wo", 1)),
    ),
    Place(
        "athens-synergy",
        "Synergy Athens",
        "GR",
        "Athens",
        "Europe/Athens",
        "el",
        "Greek",
        (
            Coordinator("coordinator", "Katerina Papadopoulou", (("el", "native"), ("en", "fluent"))),
            Coordinator("safeguarding", "Nikos Alexiou", (("el", "native"), ("en", "fluent"), ("fa", "basic"))),
        ),
        (("el", 7), ("en", 2), ("fa", 2), ("ar", 2), ("uk", 1), ("de", 1)),
        (("ar", 4), ("fa", 3), ("prs", 3), ("ps", 2), ("uk", 1), ("ur", 1), ("so", 1), ("ckb", 1)),
    ),
]

# "Agent of change" badges per language: (name, description, criteria, colour) for each contribution a
# nomination can be for. They speak of what the holder did for others, never of who the holder is.
AGENT_OF_CHANGE_BADGES = {
    "es": {
        "helped_peer": (
            "Apoyo entre iguales",
            "Ayudó a otra persona a orientarse, aprender o resolver un trámite.",
            "Una persona voluntaria o coordinadora lo propuso con pruebas; la coordinación lo aprobó.",
            "#2f855a",
        ),
        "led_activity": (
            "Impulsa la comunidad",
            "Organizó y dirigió una actividad abierta a la comunidad.",
            "Dirigió una actividad comunitaria, confirmada por la coordinación.",
            "#6b46c1",
        ),
        "translated": (
            "Puente de idiomas",
            "Tradujo o interpretó para personas recién llegadas.",
            "Tradujo o interpretó para otras personas, confirmado por la coordinación.",
            "#c05621",
        ),
        "spoke_at_event": (
            "Voz pública",
            "Compartió su experiencia y sus ideas ante el público en un evento.",
            "Habló en un evento público, confirmado por la coordinación.",
            "#2b6cb0",
        ),
        "other": (
            "Agente de cambio",
            "Hizo algo valioso por los demás en su comunidad.",
            "Una contribución a la comunidad, confirmada por la coordinación.",
            "#b83280",
        ),
    },
    "el": {
        "helped_peer": (
            "Στήριξη συνομηλίκων",
            "Βοήθησε άλλο άτομο να προσανατολιστεί, να μάθει ή να ολοκληρώσει μια διαδικασία.",
            "Προτάθηκε με τεκμήρια από εθελοντή ή συντονιστή και εγκρίθηκε από τον συντονισμό.",
            "#2f855a",
        ),
        "led_activity": (
            "Κινητήρια δύναμη της κοινότητας",
            "Οργάνωσε και συντόνισε μια δραστηριότητα ανοιχτή στην κοινότητα.",
            "Συντόνισε κοινοτική δραστηριότητα, με επιβεβαίωση του συντονισμού.",
            "#6b46c1",
        ),
        "translated": (
            "Γέφυρα γλωσσών",
            "Μετέφρασε ή διερμήνευσε για νεοαφιχθέντες.",
            "Μετέφρασε ή διερμήνευσε για άλλους, με επιβεβαίωση του συντονισμού.",
            "#c05621",
        ),
        "spoke_at_event": (
            "Δημόσια φωνή",
            "Μοιράστηκε την εμπειρία και τις ιδέες του/της σε δημόσια εκδήλωση.",
            "Μίλησε σε δημόσια εκδήλωση, με επιβεβαίωση του συντονισμού.",
            "#2b6cb0",
        ),
        "other": (
            "Φορέας αλλαγής",
            "Έκανε κάτι πολύτιμο για τους άλλους στην κοινότητά του/της.",
            "Συνεισφορά στην κοινότητα, με επιβεβαίωση του συντονισμού.",
            "#b83280",
        ),
    },
    "it": {
        "helped_peer": (
            "Supporto tra pari",
            "Ha aiutato un'altra persona a orientarsi, imparare o completare una pratica.",
            "Proposto con prove da un volontario o da una coordinatrice; approvato dal coordinamento.",
            "#2f855a",
        ),
        "led_activity": (
            "Motore della comunità",
            "Ha organizzato e guidato un'attività aperta alla comunità.",
            "Ha guidato un'attività comunitaria, confermata dal coordinamento.",
            "#6b46c1",
        ),
        "translated": (
            "Ponte tra lingue",
            "Ha tradotto o interpretato per persone appena arrivate.",
            "Ha tradotto o interpretato per altri, confermato dal coordinamento.",
            "#c05621",
        ),
        "spoke_at_event": (
            "Voce pubblica",
            "Ha condiviso esperienza e idee davanti al pubblico in un evento.",
            "Ha parlato a un evento pubblico, confermato dal coordinamento.",
            "#2b6cb0",
        ),
        "other": (
            "Agente di cambiamento",
            "Ha fatto qualcosa di prezioso per gli altri nella sua comunità.",
            "Un contributo alla comunità, confermato dal coordinamento.",
            "#b83280",
        ),
    },
}

CITY_OF_ZONE = {
    "Europe/Madrid": "Madrid",
    "Asia/Nicosia": "Nicosia",
    "Europe/Rome": "Rome",
    "Europe/Athens": "Athens",
    "Europe/London": "London",
    "Europe/Dublin": "Dublin",
    "America/Toronto": "Toronto",
    "Europe/Berlin": "Berlin",
    "Europe/Paris": "Paris",
    "Europe/Brussels": "Brussels",
    "Asia/Amman": "Amman",
    "Europe/Kyiv": "Kyiv",
    "Europe/Lisbon": "Lisbon",
    "Europe/Istanbul": "Istanbul",
    "Asia/Dhaka": "Dhaka",
    "Europe/Stockholm": "Stockholm",
    "Europe/Amsterdam": "Amsterdam",
}

# --- Volunteers -----------------------------------------------------------------------------------

# background: (first names, native language, time zones of those who volunteer from abroad)
VOLUNTEER_BACKGROUNDS: dict[str, tuple[tuple[str, ...], str, tuple[str, ...]]] = {
    "es": (
        (
            "Lucía",
            "Javier",
            "Marta",
            "Andrés",
            "Elena",
            "Pablo",
            "Carmen",
            "Sergio",
            "Nuria",
            "Raúl",
            "Alba",
            "Diego",
            "Irene",
            "Álvaro",
        ),
        "es",
        ("Europe/London", "Europe/Berlin"),
    ),
    "el": (
        (
            "Eleni",
            "Giorgos",
            "Dimitra",
            "Kostas",
            "Yannis",
            "Katerina",
            "Sofia",
            "Andreas",
            "Maria",
            "Christos",
            "Despina",
            "Panagiotis",
            "Anna",
            "Stavros",
            "Ioanna",
            "Michalis",
        ),
        "el",
        ("Europe/London", "Europe/Berlin"),
    ),
    "it": (
        (
            "Giulia",
            "Marco",
            "Chiara",
            "Luca",
            "Alessandra",
            "Matteo",
            "Federica",
            "Giuseppe",
            "Valentina",
            "Davide",
            "Martina",
            "Rosario",
            "Silvia",
            "Antonio",
        ),
        "it",
        ("Europe/London", "Europe/Berlin"),
    ),
    "en": (
        ("Sarah", "James", "Emma", "Oliver", "Hannah", "Tom", "Rachel", "Ciarán", "Aoife", "Michael"),
        "en",
        ("Europe/London", "Europe/Dublin", "America/Toronto"),
    ),
    "de": (("Lukas", "Lena", "Jonas", "Miriam", "Felix", "Johanna"), "de", ("Europe/Berlin",)),
    "fr": (
        ("Camille", "Hugo", "Léa", "Julien", "Amélie", "Mathieu"),
        "fr",
        ("Europe/Paris", "Europe/Brussels", "America/Toronto"),
    ),
    "ar": (
        ("Nadia", "Omar", "Yasmin", "Karim", "Leila", "Samir", "Nour", "Rami", "Hiba", "Tarek"),
        "ar",
        ("Asia/Amman", "Europe/Berlin", "Europe/Stockholm"),
    ),
    "uk": (("Olena", "Taras", "Iryna", "Dmytro", "Oksana", "Serhiy"), "uk", ("Europe/Kyiv", "Europe/Berlin")),
    "fa": (("Shirin", "Dariush", "Mina", "Babak"), "fa", ("Europe/Berlin", "Europe/Stockholm", "America/Toronto")),
    "ti": (("Yonas", "Selam", "Robel"), "ti", ("Europe/Stockholm", "Europe/London")),
    "pt": (("João", "Inês", "Pedro", "Beatriz"), "pt", ("Europe/Lisbon",)),
    "tr": (("Aylin", "Emre", "Zeynep"), "tr", ("Europe/Istanbul", "Europe/Berlin")),
    "bn": (("Ananya", "Rafiq", "Tanjila"), "bn", ("Asia/Dhaka", "Europe/London")),
}

# (what they do, ICT skills, help areas they are happy to cover)
ROLES: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    ("Software developer", ("python", "web-development", "javascript"), ("cv-writing", "job-search", "digital-skills")),
    ("Front-end developer", ("javascript", "web-development", "graphic-design"), ("digital-skills", "cv-writing")),
    (
        "Data analyst",
        ("data-analysis", "python", "office-tools"),
        ("job-search", "education-guidance", "financial-literacy"),
    ),
    (
        "IT support technician",
        ("it-support", "computer-basics", "cybersecurity"),
        ("digital-skills", "online-safety", "public-services"),
    ),
    ("Network engineer", ("it-support", "cybersecurity"), ("online-safety", "job-search")),
    ("UX designer", ("graphic-design", "web-development"), ("cv-writing", "digital-skills")),
    (
        "Digital marketing specialist",
        ("digital-marketing", "graphic-design", "video-editing"),
        ("entrepreneurship", "job-search"),
    ),
    (
        "Retired IT teacher",
        ("computer-basics", "office-tools"),
        ("digital-skills", "homework-help", "education-guidance", "language-practice"),
    ),
    (
        "Computer science student",
        ("python", "javascript", "computer-basics"),
        ("homework-help", "education-guidance", "language-practice"),
    ),
    (
        "Project manager at a telecom company",
        ("office-tools", "data-analysis"),
        ("job-search", "cv-writing", "entrepreneurship"),
    ),
    ("Freelance video editor", ("video-editing", "digital-marketing"), ("social-integration", "digital-skills")),
    ("Cybersecurity analyst", ("cybersecurity", "it-support"), ("online-safety", "digital-skills")),
    ("Recruiter at a software company", ("office-tools",), ("cv-writing", "job-search", "wellbeing")),
    (
        "Accountant and spreadsheet enthusiast",
        ("office-tools", "data-analysis"),
        ("financial-literacy", "public-services", "entrepreneurship"),
    ),
    (
        "Community worker and hobby web builder",
        ("computer-basics", "web-development"),
        ("social-integration", "housing", "language-practice", "health-navigation"),
    ),
    (
        "Librarian running digital-skills workshops",
        ("computer-basics", "office-tools"),
        ("digital-skills", "public-services", "education-guidance", "language-practice"),
    ),
]

MOTIVATIONS = [
    "I remember how hard the first job search in a new country was.",
    "I have mentored junior colleagues for years and enjoy it.",
    "Patient with beginners: no question is too small.",
    "I moved countries twice myself and know how confusing the paperwork can be.",
    "I like short, regular video calls and clear goals.",
    "I learned to code from free online courses and love passing that on.",
    "Happy to practise conversation while we work on something practical.",
    "I volunteer on weekday evenings and some Saturday mornings.",
    "I believe a good CV and a bit of confidence open many doors.",
    "Teaching someone to stay safe online is the most useful hour of my week.",
]

VOLUNTEER_WINDOWS = [
    (hm(18), hm(20)),
    (hm(18, 30), hm(21)),
    (hm(19), hm(21, 30)),
    (hm(17), hm(19)),
    (hm(12, 30), hm(14)),
    (hm(9), hm(11)),
    (hm(10), hm(13)),
    (hm(16), hm(18)),
]

# --- Mentees --------------------------------------------------------------------------------------

MENTEE_NAMES: dict[str, tuple[str, ...]] = {
    "ar": (
        "Ahmad",
        "Fatima",
        "Mohammed",
        "Aisha",
        "Yusuf",
        "Mariam",
        "Hassan",
        "Zainab",
        "Ali",
        "Huda",
        "Khalid",
        "Rania",
        "Bilal",
        "Nour",
        "Tariq",
        "Layla",
        "Amina",
        "Mustafa",
        "Dalia",
        "Omar",
        "Sara",
        "Ibrahim",
        "Rawan",
        "Anas",
        "Hala",
        "Majd",
        "Yara",
        "Abdullah",
    ),
    "fa": ("Reza", "Zahra", "Shirin", "Parisa", "Nazanin", "Arash", "Mehdi", "Niloofar", "Kian", "Setareh"),
    "prs": (
        "Hamid",
        "Farid",
        "Jawad",
        "Maryam",
        "Sohail",
        "Habib",
        "Roya",
        "Tahmina",
        "Mursal",
        "Wahid",
        "Freshta",
        "Naweed",
    ),
    "ps": ("Gul", "Zarmina", "Ahmadullah", "Shabnam", "Noorullah", "Malalai"),
    "uk": (
        "Olena",
        "Andriy",
        "Kateryna",
        "Mykola",
        "Yulia",
        "Bohdan",
        "Sofiia",
        "Dmytro",
        "Nataliia",
        "Vlad",
        "Anastasiia",
        "Maksym",
    ),
    "ti": (
        "Semere",
        "Yonas",
        "Helen",
        "Dawit",
        "Senait",
        "Tesfay",
        "Mebrat",
        "Abraham",
        "Saba",
        "Kidane",
        "Filmon",
        "Luwam",
        "Merhawi",
        "Rahwa",
    ),
    "so": ("Abdi", "Hodan", "Faisal", "Sahra", "Mahad", "Ifrah", "Ayaan", "Liban", "Najma"),
    "ckb": ("Rebin", "Shilan", "Karwan", "Hana", "Soran", "Avin"),
    "ku": ("Berivan", "Rojda", "Zana", "Delil"),
    "fr": (
        "Aminata",
        "Mamadou",
        "Mariama",
        "Ousmane",
        "Kadiatou",
        "Seydou",
        "Christelle",
        "Patrick",
        "Fanta",
        "Cheick",
        "Aïcha",
        "Junior",
    ),
    "wo": ("Fatou", "Ibrahima", "Modou", "Astou", "Cheikh", "Khady"),
    "bm": ("Bakary", "Oumou", "Drissa", "Assitan", "Adama"),
    "ln": ("Grace", "Emmanuel", "Merveille", "Glody", "Trésor"),
    "bn": ("Rupa", "Sujon", "Rahim", "Nasrin", "Tanvir", "Shapla", "Arif"),
    "ha": ("Abubakar", "Halima", "Musa", "Sani", "Hauwa"),
    "ur": ("Imran", "Ayesha", "Usman", "Hina", "Zeeshan"),
    "en": ("Kofi", "Joy", "Blessing", "Samuel", "Esther", "Kwame", "Precious", "Lamin", "Fatmata"),
    "es": ("Daniela", "Andrés", "Valentina", "José", "Camila", "Luis", "Yulimar", "Jhon", "Paola", "Kevin"),
}

# Languages people with this first language often speak as well: (language, level, probability)
MENTEE_SECOND_LANGUAGES: dict[str, tuple[tuple[str, str, float], ...]] = {
    "ar": (("fr", "basic", 0.2), ("en", "basic", 0.3)),
    "fa": (("en", "basic", 0.4),),
    "prs": (("fa", "fluent", 0.3), ("en", "basic", 0.3)),
    "ps": (("prs", "fluent", 0.6),),
    "uk": (("ru", "fluent", 0.4), ("en", "basic", 0.5)),
    "ti": (("ar", "basic", 0.2), ("en", "basic", 0.4)),
    "so": (("ar", "basic", 0.3), ("en", "basic", 0.4)),
    "ckb": (("ar", "fluent", 0.5),),
    "ku": (("tr", "fluent", 0.5), ("ar", "basic", 0.3)),
    "wo": (("fr", "fluent", 0.9),),
    "bm": (("fr", "fluent", 0.8),),
    "ln": (("fr", "fluent", 0.95),),
    "bn": (("en", "fluent", 0.6),),
    "ha": (("en", "fluent", 0.8),),
    "ur": (("en", "fluent", 0.6),),
    "fr": (("en", "basic", 0.3),),
    "es": (("en", "basic", 0.3),),
}

# Guardians' first names by the family's language: (men, women)
GUARDIAN_NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "ar": (("Mahmoud", "Khaled", "Walid", "Adel"), ("Amal", "Samira", "Noha", "Salma")),
    "fa": (("Hossein", "Majid", "Saeed"), ("Fereshteh", "Mahnaz", "Leila")),
    "prs": (("Abdul", "Rahmatullah", "Ghulam"), ("Fatima", "Nasima", "Zarghona")),
    "ps": (("Abdul", "Rahmatullah", "Gulbuddin"), ("Zarghona", "Palwasha", "Bibi")),
    "uk": (("Oleksandr", "Volodymyr", "Petro"), ("Halyna", "Svitlana", "Liudmyla")),
    "ti": (("Tekle", "Haile", "Berhane"), ("Tsega", "Almaz", "Letemariam")),
    "so": (("Abdirahman", "Mohamed", "Hassan"), ("Halima", "Faadumo", "Khadra")),
    "ckb": (("Kawa", "Hiwa", "Azad"), ("Nasrin", "Shno", "Parwin")),
    "ku": (("Kawa", "Azad", "Bawer"), ("Gulistan", "Zozan", "Nesrin")),
    "fr": (("Mamadou", "Sékou", "Jean-Pierre"), ("Mariam", "Bintou", "Odile")),
    "wo": (("Moustapha", "Abdoulaye", "Pape"), ("Ndeye", "Coumba", "Awa")),
    "bm": (("Boubacar", "Souleymane", "Moussa"), ("Kadiatou", "Rokia", "Fanta")),
    "ln": (("Jean-Claude", "Papy", "Didier"), ("Chantal", "Nathalie", "Mireille")),
    "bn": (("Abdul", "Kamal", "Jahangir"), ("Shirin", "Rokeya", "Nasima")),
    "ha": (("Abdullahi", "Garba", "Usman"), ("Aisha", "Hadiza", "Binta")),
    "ur": (("Tariq", "Javed", "Shahid"), ("Nasreen", "Saima", "Rubina")),
    "en": (("Kwabena", "Emmanuel", "Joseph"), ("Comfort", "Mercy", "Patience")),
    "es": (("Carlos", "Wilmer", "Jorge"), ("Yolanda", "Maritza", "Gloria")),
}
GUARDIANS = [("mother", 1), ("father", 0), ("aunt", 1), ("uncle", 0), ("older brother", 0), ("older sister", 1)]

# Needs mentees ask for, with their weight (ICT needs are rarer: mentees ask for practical help).
NEEDS: list[tuple[str, int]] = [
    ("cv-writing", 6),
    ("job-search", 7),
    ("digital-skills", 5),
    ("language-practice", 7),
    ("education-guidance", 5),
    ("legal-orientation", 4),
    ("housing", 4),
    ("health-navigation", 3),
    ("social-integration", 4),
    ("public-services", 3),
    ("homework-help", 2),
    ("online-safety", 1),
    ("computer-basics", 2),
    ("office-tools", 1),
    ("web-development", 1),
    ("entrepreneurship", 1),
    ("financial-literacy", 2),
    ("wellbeing", 1),
]

# What a mentee writes about a need; {local} is the language of the place, {city} its city.
REQUEST_TEXTS: dict[str, tuple[str, ...]] = {
    "cv-writing": (
        "I need help to write my first CV in {local}.",
        "I have a CV from home but it does not look like the ones here. Can someone help me change it?",
        "I worked as an electrician for four years and I want a CV that shows it.",
    ),
    "job-search": (
        "I am looking for work in a restaurant or a warehouse and want to prepare for interviews.",
        "I have a job interview soon and I am nervous. I would like to practise.",
        "Where can I find job offers online in {city}, and how do I answer them?",
    ),
    "digital-skills": (
        "I want to learn to use e-mail and fill in online forms for my appointments.",
        "I only use my phone. I want to learn to send documents as PDF and attach them.",
        "How do I make video calls and join an online class?",
    ),
    "language-practice": (
        "I would like to practise speaking {local} every week.",
        "I go to {local} classes but I need someone to talk with.",
        "I want to improve my English for work.",
    ),
    "education-guidance": (
        "I want to continue studying. How can my school certificate be recognised?",
        "I would like to find a vocational course, maybe cooking or mechanics.",
        "I want to go to university in {city} but I don't know where to start.",
    ),
    "legal-orientation": (
        "I receive letters I don't understand. Who can explain where I should ask?",
        "I need to know which office helps with my papers and how to get an appointment.",
    ),
    "housing": (
        "I am looking for a room and I don't know how to search safely.",
        "My contract ends soon and I need to find a new place to live in {city}.",
    ),
    "health-navigation": (
        "How do I register with a doctor and book appointments?",
        "I need to find a dentist and don't know how the system works here.",
    ),
    "social-integration": (
        "I would like to join a football team or a volunteering group.",
        "I don't know many people in {city} yet. I want to find activities for young people.",
    ),
    "public-services": (
        "I need help booking an appointment online at the town hall.",
        "How do I get a digital certificate to use public websites?",
    ),
    "homework-help": (
        "I need support with maths homework for my evening classes.",
        "Can someone help me study for my exams? Physics is hard for me.",
    ),
    "online-safety": (
        "How do I protect my accounts and avoid scams on my phone?",
        "Someone hacked my social media. I want to learn to keep it safe.",
    ),
    "computer-basics": (
        "I never used a computer. I want to learn the basics.",
        "I got a second-hand laptop and don't know how to set it up.",
    ),
    "office-tools": (
        "I want to learn spreadsheets for a job in a warehouse.",
        "I need to write letters and documents on the computer.",
    ),
    "web-development": (
        "I started learning HTML on my phone and I want a mentor.",
        "I want to learn programming. Where should I start?",
    ),
    "entrepreneurship": (
        "I want to start a small catering business with my cousin.",
        "I repair phones and want to make it a real business.",
    ),
    "financial-literacy": (
        "How do I open a bank account and plan my money?",
        "I want to understand my payslip and send money home safely.",
    ),
    "wellbeing": ("Sometimes I feel alone and lose motivation. I would like someone to talk to about my plans.",),
}

MENTEE_WINDOWS = [
    (hm(17), hm(19)),
    (hm(18), hm(20)),
    (hm(19), hm(21)),
    (hm(16), hm(18)),
    (hm(10), hm(12)),
    (hm(11), hm(13)),
    (hm(15), hm(17)),
]

# --- The plan -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestSpec:
    needs: tuple[str, ...]
    description: str
    urgency: str
    closed: bool = False


@dataclass(frozen=True)
class VolunteerSpec:
    email: str
    display_name: str
    organisation: str  # slug
    timezone: str
    languages: tuple[tuple[str, str], ...]  # (code, level)
    skills: tuple[str, ...]
    capacity: int
    bio: str
    vetting_status: str  # pending, verified or rejected
    vetting_checked_on: datetime.date | None
    vetting_expires_on: datetime.date | None
    availability: tuple[Window, ...]


@dataclass(frozen=True)
class ConsentSpec:
    guardian_name: str
    given_on: datetime.date
    method: str


@dataclass(frozen=True)
class MenteeSpec:
    email: str
    display_name: str
    organisation: str  # slug
    birth_year: int
    timezone: str
    languages: tuple[tuple[str, str], ...]
    consent: ConsentSpec | None
    requests: tuple[RequestSpec, ...]
    availability: tuple[Window, ...]


@dataclass(frozen=True)
class Plan:
    volunteers: tuple[VolunteerSpec, ...]
    mentees: tuple[MenteeSpec, ...]


def _ascii(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()


def _pick(rng: random.Random, weighted) -> str:
    population, weights = zip(*weighted, strict=True)
    return rng.choices(population, weights)[0]


def _pick_distinct(rng: random.Random, weighted, k: int) -> list[str]:
    chosen: list[str] = []
    while len(chosen) < k:
        pick = _pick(rng, [(item, weight) for item, weight in weighted if item not in chosen])
        chosen.append(pick)
    return chosen


def _fresh_name(rng: random.Random, names: tuple[str, ...], used: set[str]) -> str:
    """A name not yet used in this organisation, while there are any left."""
    free = [name for name in names if name not in used] or list(names)
    name = rng.choice(free)
    used.add(name)
    return name


def _windows(rng: random.Random, options, days: int) -> tuple[Window, ...]:
    return tuple(sorted((day, *rng.choice(options)) for day in rng.sample(range(7), days)))


def _languages(pairs) -> tuple[tuple[str, str], ...]:
    """Keep the first level given for each language, at most three languages."""
    seen: dict[str, str] = {}
    for code, level in pairs:
        seen.setdefault(code, level)
    return tuple(seen.items())[:3]


def _skill_label(slug: str) -> str:
    from accounts.vocabulary import SKILLS

    label = next(label for skill, label, _category in SKILLS if skill == slug)
    # "CV writing" and "IT support" keep their capitals; "Basic digital skills" becomes "basic digital skills".
    return label if label[1:2].isupper() else label[0].lower() + label[1:]


def _volunteers_for(place: Place, seed: int, today: datetime.date) -> list[VolunteerSpec]:
    rng = random.Random(f"{seed}:{place.slug}:volunteers")
    used: set[str] = set()
    specs = []
    for index in range(VOLUNTEERS_PER_ORGANISATION):
        background = _pick(rng, place.volunteer_backgrounds)
        names, native, zones_abroad = VOLUNTEER_BACKGROUNDS[background]
        name = _fresh_name(rng, names, used)
        local = native == place.local_language
        # Most volunteers live where the organisation is; some mentor remotely from elsewhere.
        lives_here = rng.random() < (0.8 if local else 0.5)
        zone = place.timezone if lives_here else rng.choice(zones_abroad)
        languages = [(native, "native")]
        if not local and (lives_here or rng.random() < 0.3):
            languages.append((place.local_language, rng.choice(["fluent", "fluent", "basic"])))
        if native != "en" and rng.random() < 0.75:
            languages.append(("en", rng.choice(["fluent", "fluent", "basic"])))
        if rng.random() < 0.2:
            languages.append((rng.choice(["fr", "ar", "es", "it", "de", "ru"]), "basic"))
        role, ict, help_areas = rng.choice(ROLES)
        wanted = rng.choice([1, 2, 3, 3, 4, 4, 5, 6])
        pool = list(dict.fromkeys([*ict, *help_areas]))
        skills = rng.sample(pool, min(wanted, len(pool)))
        if wanted > len(skills):
            extra = ["digital-skills", "language-practice", "cv-writing", "social-integration", "job-search"]
            skills += rng.sample([slug for slug in extra if slug not in skills], wanted - len(skills))
        where = f"in {place.city}" if zone == place.timezone else f"mentoring remotely from {CITY_OF_ZONE[zone]}"
        offer = ", ".join(_skill_label(slug) for slug in skills[:2])
        bio = f"{role} {where}. {rng.choice(MOTIVATIONS)} I can help with {offer}."
        draw = rng.random()
        validity = rng.choice([730, 1095])
        if draw < 0.70:  # verified and current
            status, checked_ago = VettingStatus.VERIFIED, rng.randint(15, validity - 20)
        elif draw < 0.79:  # verified once, now expired: it needs renewing
            status, checked_ago = VettingStatus.VERIFIED, validity + rng.randint(3, 120)
        elif draw < 0.80:
            status, checked_ago = VettingStatus.REJECTED, rng.randint(10, 200)
        else:
            status, checked_ago = VettingStatus.PENDING, None
        checked_on = today - datetime.timedelta(days=checked_ago) if checked_ago is not None else None
        expires_on = (
            checked_on + datetime.timedelta(days=validity) if status == VettingStatus.VERIFIED and checked_on else None
        )
        specs.append(
            VolunteerSpec(
                email=f"{_ascii(name)}.{place.city.lower()}{index}@volunteers.demo.example",
                display_name=name,
                organisation=place.slug,
                timezone=zone,
                languages=_languages(languages),
                skills=tuple(skills),
                capacity=rng.choice([0, 1, 1, 2, 2, 3]),
                bio=bio,
                vetting_status=status,
                vetting_checked_on=checked_on,
                vetting_expires_on=expires_on,
                availability=_windows(rng, VOLUNTEER_WINDOWS, rng.randint(2, 4)),
            )
        )
    return specs


def _request_text(rng: random.Random, place: Place, needs: list[str]) -> str:
    sentences = [rng.choice(REQUEST_TEXTS[need]) for need in needs[:2]]
    return " ".join(sentences).format(local=place.local_language_name, city=place.city)


def _mentees_for(place: Place, seed: int, today: datetime.date) -> list[MenteeSpec]:
    rng = random.Random(f"{seed}:{place.slug}:mentees")
    minor_floor = minor_birth_year_floor(today)
    used: set[str] = set()
    specs = []
    for index in range(MENTEES_PER_ORGANISATION):
        first_language = _pick(rng, place.mentee_languages)
        name = _fresh_name(rng, MENTEE_NAMES[first_language], used)
        # Only the birth year is held, and someone born (this year - 18) counts as a minor until the year ends.
        if rng.random() < 0.15:
            birth_year = today.year - rng.choice([15, 16, 17, 17, 18])
        else:
            birth_year = today.year - rng.randint(19, 29)
        languages = [(first_language, "native")]
        for code, level, probability in MENTEE_SECOND_LANGUAGES.get(first_language, ()):
            if rng.random() < probability:
                languages.append((code, level))
        if first_language != place.local_language and rng.random() < 0.45:
            languages.insert(1, (place.local_language, "basic"))
        consent = None
        if birth_year >= minor_floor and rng.random() < 0.6:
            # Unaccompanied minors have a legal guardian appointed by the child protection service.
            relation, women = rng.choice(GUARDIANS)
            guardian = (
                f"Child protection service, {place.city} (legal guardian)"
                if rng.random() < 0.3
                else f"{rng.choice(GUARDIAN_NAMES[first_language][women])} ({relation})"
            )
            consent = ConsentSpec(
                guardian_name=guardian,
                given_on=today - datetime.timedelta(days=rng.randint(3, 120)),
                method=_pick(
                    rng,
                    [
                        (ConsentMethod.SIGNED_FORM, 4),
                        (ConsentMethod.IN_PERSON, 3),
                        (ConsentMethod.EMAIL, 1),
                        (ConsentMethod.PHONE, 1),
                    ],
                ),
            )
        requests = []
        for position in range(rng.choice([1, 1, 1, 2])):
            needs = _pick_distinct(rng, NEEDS, rng.choice([1, 1, 2, 2, 3]))
            urgency = _pick(rng, [(Urgency.LOW, 2), (Urgency.NORMAL, 5), (Urgency.HIGH, 2)])
            closed = position == 0 and rng.random() < 0.08  # a few were solved already
            requests.append(
                RequestSpec(
                    needs=tuple(needs), description=_request_text(rng, place, needs), urgency=urgency, closed=closed
                )
            )
        specs.append(
            MenteeSpec(
                email=f"{_ascii(name)}.{place.city.lower()}{index}@mentees.demo.example",
                display_name=name,
                organisation=place.slug,
                birth_year=birth_year,
                timezone=place.timezone,
                languages=_languages(languages),
                consent=consent,
                requests=tuple(requests),
                availability=_windows(rng, MENTEE_WINDOWS, rng.randint(2, 4)),
            )
        )
    return specs


def plan(seed: int = DEFAULT_SEED, today: datetime.date | None = None) -> Plan:
    """Everyone the demo holds; a pure function of the seed and the date (birth years and vetting dates)."""
    today = today or timezone.localdate()
    volunteers = [spec for place in PLACES for spec in _volunteers_for(place, seed, today)]
    mentees = [spec for place in PLACES for spec in _mentees_for(place, seed, today)]
    return Plan(volunteers=tuple(volunteers), mentees=tuple(mentees))


# --- Applying the plan ----------------------------------------------------------------------------


@dataclass
class Summary:
    """What one run created (zeros when everything was already there)."""

    organisations: int = 0
    coordinators: int = 0
    volunteers: int = 0
    mentees: int = 0
    help_requests: int = 0
    created_users: list[int] = field(default_factory=list)


@contextmanager
def _fast_hashing():
    """Hash with MD5 while creating accounts; :meth:`DemoSeeder.set_passwords` then stores one real hash.

    All demo accounts share one published password, so one Argon2 hash of it is as strong as 190
    separate ones, and seeding takes seconds instead of most of a minute.
    """
    original = settings.PASSWORD_HASHERS
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    hashers.get_hashers.cache_clear()
    hashers.get_hashers_by_algorithm.cache_clear()
    try:
        yield
    finally:
        settings.PASSWORD_HASHERS = original
        hashers.get_hashers.cache_clear()
        hashers.get_hashers_by_algorithm.cache_clear()


class DemoSeeder:
    def __init__(self, seed: int = DEFAULT_SEED):
        self.today = timezone.localdate()
        self.plan = plan(seed, self.today)
        self.summary = Summary()
        self.skills = {skill.slug: skill for skill in Skill.objects.all()}

    def run(self) -> Summary:
        with _fast_hashing():
            organisations = self.seed_organisations()
            coordinators = self.seed_coordinators(organisations)
            self.seed_volunteers(organisations, coordinators)
            self.seed_mentees(organisations, coordinators)
            self.seed_named_logins(organisations[PLACES[0].slug], coordinators[PLACES[0].slug])
            self.seed_demo_pair(coordinators[PLACES[0].slug][0])
            self.seed_badges(organisations, coordinators)
        self.set_passwords()
        return self.summary

    def _new(self, email: str) -> bool:
        return not User.objects.filter(email=email).exists()

    def _created(self, user: User) -> None:
        self.summary.created_users.append(user.pk)

    def _skills(self, slugs) -> list[Skill]:
        return [self.skills[slug] for slug in slugs]

    @staticmethod
    def _languages(pairs) -> list[dict]:
        return [{"language": code, "level": level} for code, level in pairs]

    def seed_organisations(self) -> dict[str, Organisation]:
        organisations = {}
        for place in PLACES:
            org, created = Organisation.objects.get_or_create(
                slug=place.slug, defaults={"name": place.name, "country": place.country, "city": place.city}
            )
            self.summary.organisations += created
            organisations[place.slug] = org
        return organisations

    def seed_coordinators(self, organisations: dict[str, Organisation]) -> dict[str, list[User]]:
        """Two per organisation: the first vets volunteers, the safeguarding lead records consent."""
        coordinators = {}
        for place in PLACES:
            people = []
            for person in place.coordinators:
                email = f"{person.email_prefix}.{place.city.lower()}@demo.example"
                if self._new(email):
                    self._created(
                        user_create(
                            email=email,
                            password=PASSWORD,
                            display_name=person.display_name,
                            role=Role.COORDINATOR,
                            organisation=organisations[place.slug],
                            timezone=place.timezone,
                            languages=self._languages(person.languages),
                        )
                    )
                    self.summary.coordinators += 1
                people.append(User.objects.get(email=email))
            coordinators[place.slug] = people
        return coordinators

    def seed_volunteers(self, organisations, coordinators) -> None:
        for spec in self.plan.volunteers:
            if self._new(spec.email):
                self._volunteer(spec, organisations[spec.organisation], coordinators[spec.organisation][0])

    def _volunteer(self, spec: VolunteerSpec, org: Organisation, coordinator: User) -> Volunteer:
        volunteer = volunteer_signup(
            email=spec.email,
            password=PASSWORD,
            display_name=spec.display_name,
            organisation=org,
            timezone=spec.timezone,
            languages=self._languages(spec.languages),
            bio=spec.bio,
            skills=self._skills(spec.skills),
            capacity=spec.capacity,
        )
        self.seed_availability(volunteer.user, spec.availability)
        if spec.vetting_status != VettingStatus.PENDING:
            vetting_record(
                volunteer=volunteer,
                status=spec.vetting_status,
                checked_on=spec.vetting_checked_on,
                expires_on=spec.vetting_expires_on,
                recorded_by=coordinator,
            )
        self.summary.volunteers += 1
        self._created(volunteer.user)
        return volunteer

    def seed_mentees(self, organisations, coordinators) -> None:
        for spec in self.plan.mentees:
            if self._new(spec.email):
                self._mentee(spec, organisations[spec.organisation], coordinators[spec.organisation][-1])

    def _mentee(self, spec: MenteeSpec, org: Organisation, safeguarding_lead: User) -> Mentee:
        mentee = mentee_signup(
            email=spec.email,
            password=PASSWORD,
            display_name=spec.display_name,
            organisation=org,
            birth_year=spec.birth_year,
            timezone=spec.timezone,
            languages=self._languages(spec.languages),
        )
        self.seed_availability(mentee.user, spec.availability)
        if spec.consent:
            consent_record(
                mentee=mentee,
                guardian_name=spec.consent.guardian_name,
                given_on=spec.consent.given_on,
                method=spec.consent.method,
                recorded_by=safeguarding_lead,
            )
        for request in spec.requests:
            help_request = help_request_create(
                mentee=mentee,
                needs=self._skills(request.needs),
                description=request.description,
                urgency=request.urgency,
            )
            if request.closed:
                help_request_close(help_request=help_request)
            self.summary.help_requests += 1
        self.summary.mentees += 1
        self._created(mentee.user)
        return mentee

    def seed_availability(self, user: User, windows) -> None:
        """Weekly windows, in the person's own time zone."""
        availability_replace(user=user, windows=list(windows))

    def seed_named_logins(self, org: Organisation, coordinators: list[User]) -> None:
        """Easy logins to try each role: a vetted volunteer, an adult mentee, a minor awaiting consent, staff."""
        place = PLACES[0]
        if self._new("volunteer@demo.example"):
            self._volunteer(
                VolunteerSpec(
                    email="volunteer@demo.example",
                    display_name="Laila (demo volunteer)",
                    organisation=place.slug,
                    timezone=place.timezone,
                    languages=(
                        ("ar", LanguageLevel.NATIVE),
                        ("en", LanguageLevel.FLUENT),
                        ("es", LanguageLevel.FLUENT),
                    ),
                    skills=("cv-writing", "digital-skills", "job-search", "web-development"),
                    capacity=3,
                    bio="Front-end developer in Madrid, originally from Aleppo. I help with CVs, job interviews and "
                    "getting comfortable with computers.",
                    vetting_status=VettingStatus.VERIFIED,
                    vetting_checked_on=self.today - datetime.timedelta(days=30),
                    vetting_expires_on=self.today + datetime.timedelta(days=700),
                    availability=((0, hm(18), hm(21)), (2, hm(18), hm(21)), (4, hm(17), hm(19))),
                ),
                org,
                coordinators[0],
            )
        if self._new("mentee@demo.example"):
            self._mentee(
                MenteeSpec(
                    email="mentee@demo.example",
                    display_name="Karim (demo mentee)",
                    organisation=place.slug,
                    birth_year=self.today.year - 22,
                    timezone=place.timezone,
                    languages=(("ar", LanguageLevel.NATIVE), ("es", LanguageLevel.BASIC)),
                    consent=None,
                    requests=(
                        RequestSpec(
                            needs=("cv-writing", "job-search"),
                            urgency=Urgency.HIGH,
                            description="I worked as a cook in Homs and want a job in a restaurant "
                            "kitchen in Madrid. I need a CV in Spanish and help to prepare "
                            "interviews.",
                        ),
                    ),
                    availability=((0, hm(19), hm(22)), (2, hm(19), hm(22))),
                ),
                org,
                coordinators[-1],
            )
        if self._new("minor@demo.example"):
            self._mentee(
                MenteeSpec(
                    email="minor@demo.example",
                    display_name="Sami (demo minor)",
                    organisation=place.slug,
                    birth_year=self.today.year - 16,
                    timezone=place.timezone,
                    languages=(("ar", LanguageLevel.NATIVE), ("fr", LanguageLevel.BASIC)),
                    consent=None,
                    requests=(
                        RequestSpec(
                            needs=("homework-help", "digital-skills"),
                            urgency=Urgency.NORMAL,
                            description="I started secondary school in Madrid and need help with maths "
                            "homework and with the school's online platform.",
                        ),
                    ),
                    availability=((1, hm(17), hm(19)), (3, hm(17), hm(19))),
                ),
                org,
                coordinators[-1],
            )
        if self._new("admin@demo.example"):
            self._created(User.objects.create_superuser("admin@demo.example", PASSWORD, display_name="Demo admin"))

    def seed_demo_pair(self, coordinator: User) -> None:
        """Pair the demo volunteer and the demo mentee (proposed by a coordinator, then approved), so their
        conversation can be tried at once."""
        from scheduling.models import Pairing
        from scheduling.services.pairings import pairing_approve

        volunteer = Volunteer.objects.get(user__email="volunteer@demo.example")
        mentee = Mentee.objects.get(user__email="mentee@demo.example")
        if Pairing.objects.filter(volunteer=volunteer, mentee=mentee).exists():
            return
        proposal = Pairing.objects.create(
            organisation=coordinator.organisation,
            volunteer=volunteer,
            mentee=mentee,
            help_request=mentee.help_requests.first(),
            score=88.0,
            reasons=[  # as the matcher gives them (scheduling.matching)
                {"kind": "language", "code": "ar", "level": "native"},
                {"kind": "need", "code": "cv-writing"},
                {"kind": "need", "code": "job-search"},
                {"kind": "overlap", "minutes": 240},
            ],
        )
        pairing_approve(pairing_id=proposal.pk, by=coordinator)

    def seed_badges(self, organisations: dict[str, Organisation], coordinators: dict[str, list[User]]) -> None:
        """Each organisation's "agent of change" badges, in its own language; then the demo pair's first
        session held a fortnight ago (milestones for both), and the demo volunteer's nomination of the demo
        mentee for translating, approved: a wallet with three badges to try sharing and verifying."""
        from badges import services as badges
        from badges.models import BadgeClass, Nomination
        from scheduling.models import MentoringSession, Pairing, SessionStatus
        from scheduling.services.sessions import session_mark

        for place in PLACES:
            org = organisations[place.slug]
            for contribution, (name, description, criteria, colour) in AGENT_OF_CHANGE_BADGES[
                place.local_language
            ].items():
                if not BadgeClass.objects.filter(organisation=org, contribution=contribution).exists():
                    badges.badge_class_create(
                        organisation=org,
                        by=coordinators[place.slug][0],
                        name=name,
                        description=description,
                        criteria=criteria,
                        tags=["agent of change", contribution.replace("_", " ")],
                        language=place.local_language,
                        colour=colour,
                        contribution=contribution,
                    )
        pairing = Pairing.objects.get(
            volunteer__user__email="volunteer@demo.example", mentee__user__email="mentee@demo.example"
        )
        if not MentoringSession.objects.filter(pairing=pairing, status=SessionStatus.HELD).exists():
            start = timezone.now().replace(minute=0, second=0, microsecond=0) - datetime.timedelta(days=14)
            session = MentoringSession.objects.create(
                pairing=pairing,
                organisation_id=pairing.organisation_id,
                start=start,
                end=start + datetime.timedelta(hours=1),
            )
            session_mark(session=session, by=pairing.volunteer.user, held=True)
        for user_id in (pairing.mentee.user_id, pairing.volunteer.user_id):
            badges.milestones_check(user_id=user_id)  # also scheduled after the commit; both award once
        if not Nomination.objects.filter(mentee=pairing.mentee).exists():
            nomination = badges.nomination_create(
                mentee=pairing.mentee,
                by=pairing.volunteer.user,
                category="translated",
                evidence_text="Karim interpreted between Arabic and Spanish for two families who had just arrived, "
                "at their first appointment at the health centre.",
            )
            badges.nomination_approve(nomination_id=nomination.pk, by=coordinators[PLACES[0].slug][0])

    def set_passwords(self) -> None:
        if self.summary.created_users:
            User.objects.filter(pk__in=self.summary.created_users).update(password=make_password(PASSWORD))


@transaction.atomic
def seed(seed: int = DEFAULT_SEED) -> Summary:
    if not Language.objects.exists() or not Skill.objects.exists():
        raise RuntimeError("The vocabulary is missing: run `manage.py migrate` first.")
    return DemoSeeder(seed).run()
