"""Deterministic, realistic demo data, created through the real services so every rule holds.

Four partner organisations (Madrid, Nicosia, Palermo, Athens), their coordinators, about 60 volunteers
and 120 mentees with languages, skills, weekly availability and help requests; a match run per
organisation and one approved pair with a conversation for the named demo logins. Running it again
creates nothing new.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import Language, Organisation, Role, Skill, User
from accounts.services import user_create
from mentees.models import Mentee
from mentees.services import consent_record, help_request_close, help_request_create, mentee_signup
from scheduling.services.availability import availability_replace
from volunteers.models import Volunteer
from volunteers.services import vetting_record, volunteer_signup

PASSWORD = "demo-mentoring-2026"  # noqa: S105 - published demo password


@dataclass(frozen=True)
class Place:
    slug: str
    name: str
    country: str
    city: str
    timezone: str
    local_language: str
    # mentee languages with their weights in this place
    mentee_languages: tuple[tuple[str, int], ...]


PLACES = [
    Place("puentes-madrid", "Puentes Madrid", "ES", "Madrid", "Europe/Madrid", "es",
          (("ar", 5), ("fr", 3), ("uk", 3), ("es", 2), ("wo", 1), ("bm", 1), ("en", 2))),
    Place("nicosia-welcome", "Nicosia Welcome Network", "CY", "Nicosia", "Asia/Nicosia", "el",
          (("ar", 5), ("ckb", 2), ("fa", 2), ("so", 2), ("en", 3), ("ln", 1))),
    Place("palermo-ponti", "Ponti Palermo", "IT", "Palermo", "Europe/Rome", "it",
          (("ti", 4), ("ar", 3), ("fr", 3), ("bn", 2), ("en", 3), ("ha", 1))),
    Place("athens-synergy", "Synergy Athens", "GR", "Athens", "Europe/Athens", "el",
          (("fa", 4), ("prs", 3), ("ar", 4), ("ps", 2), ("uk", 2), ("ur", 1), ("en", 2))),
]

VOLUNTEER_NAMES = [
    "Lucía", "Javier", "Marta", "Andrés", "Elena", "Pablo", "Nikos", "Eleni", "Giorgos", "Maria", "Andreas",
    "Sofia", "Giulia", "Marco", "Chiara", "Luca", "Francesca", "Dimitra", "Kostas", "Yannis", "Anna", "Tom",
    "Sarah", "James", "Emma", "Oliver", "Hannah", "Lukas", "Lena", "Jonas", "Camille", "Hugo", "Léa", "Nadia",
    "Omar", "Yasmin", "Karim", "Leila", "Olena", "Taras", "Iryna", "Dmytro", "Priya", "Arjun", "Mei", "Kenji",
    "Ana", "João", "Inês", "Pedro", "Sara", "Miguel", "Nour", "Samir", "Aylin", "Emre", "Zeynep", "Rafael",
    "Clara", "Daniel",
]
MENTEE_NAMES = [
    "Ahmad", "Fatima", "Mohammed", "Aisha", "Yusuf", "Mariam", "Hassan", "Zainab", "Ali", "Sara", "Omar",
    "Huda", "Khalid", "Rania", "Bilal", "Nour", "Tariq", "Layla", "Samir", "Amina", "Mustafa", "Dalia",
    "Reza", "Zahra", "Hamid", "Shirin", "Farid", "Parisa", "Jawad", "Maryam", "Sohail", "Nazanin", "Habib",
    "Roya", "Karim", "Tahmina", "Olena", "Andriy", "Kateryna", "Mykola", "Yulia", "Bohdan", "Sofiia",
    "Dmytro", "Natalia", "Vlad", "Semere", "Yonas", "Helen", "Dawit", "Senait", "Tesfay", "Mebrat",
    "Abraham", "Saba", "Kidane", "Awa", "Moussa", "Fatou", "Ibrahima", "Aminata", "Mamadou", "Mariama",
    "Ousmane", "Kadiatou", "Seydou", "Abdi", "Hodan", "Faisal", "Sahra", "Mahad", "Ifrah", "Rahim",
    "Nasrin", "Jamal", "Rupa", "Sujon", "Hawa", "Kofi", "Grace", "Emmanuel", "Joy",
]
VOLUNTEER_SKILLS = [
    "computer-basics", "office-tools", "web-development", "python", "javascript", "data-analysis",
    "graphic-design", "digital-marketing", "it-support", "cybersecurity", "video-editing",
    "cv-writing", "job-search", "digital-skills", "language-practice", "education-guidance", "online-safety",
    "homework-help", "public-services", "entrepreneurship", "financial-literacy",
]
NEEDS = [
    "cv-writing", "job-search", "digital-skills", "language-practice", "education-guidance", "legal-orientation",
    "housing", "health-navigation", "social-integration", "public-services", "homework-help", "online-safety",
    "computer-basics", "office-tools", "web-development", "entrepreneurship", "financial-literacy",
]
VOLUNTEER_ZONES = ["Europe/Madrid", "Europe/Athens", "Asia/Nicosia", "Europe/Rome", "Europe/London", "Europe/Kyiv",
                   "Europe/Berlin", "Europe/Lisbon", "America/Toronto", "Asia/Amman", "Asia/Kolkata"]
VOLUNTEER_EXTRA_LANGUAGES = [("en", 6), ("fr", 2), ("ar", 2), ("uk", 1), ("de", 1), ("pt", 1), ("tr", 1), ("ru", 1)]
BIOS = [
    "Software developer who remembers how hard the first job search was. Happy to review CVs.",
    "Retired IT teacher; patient with beginners, loves explaining spreadsheets.",
    "Computer science student, volunteering on weekday evenings.",
    "Data analyst at a logistics firm; I mentor on digital skills and job interviews.",
    "Web designer and former refugee myself; I speak from experience.",
    "IT support technician; I can help with phones, laptops and online services.",
    "Project manager in a telecom company, keen on helping people find their way into tech.",
    "Marketing professional who enjoys practising languages over coffee (online!).",
]
REQUESTS = {
    "cv-writing": "I need help to write my first CV in the local language.",
    "job-search": "I am looking for work in hospitality or logistics and want to prepare for interviews.",
    "digital-skills": "I want to learn to use e-mail and online forms for appointments.",
    "language-practice": "I would like to practise speaking every week.",
    "education-guidance": "I want to know how to get my school certificate recognised and continue studying.",
    "legal-orientation": "I don't understand the letters I receive; who can explain where to ask?",
    "housing": "I am looking for a room and don't know how to search safely.",
    "health-navigation": "How do I register with a doctor and book appointments?",
    "social-integration": "I would like to join a football club or a volunteering group.",
    "public-services": "Help with online appointments at the town hall.",
    "homework-help": "Support with maths homework for my evening classes.",
    "online-safety": "How to protect my accounts and avoid scams.",
    "computer-basics": "I never used a computer; I want to learn the basics.",
    "office-tools": "I want to learn spreadsheets for a warehouse job.",
    "web-development": "I started learning HTML on my phone and want a mentor.",
    "entrepreneurship": "I want to start a small catering business.",
    "financial-literacy": "How to open a bank account and plan my money.",
}
EVENINGS = [(17 * 60, 19 * 60), (18 * 60, 20 * 60), (18 * 60 + 30, 21 * 60), (19 * 60, 21 * 60 + 30),
            (20 * 60, 22 * 60), (10 * 60, 12 * 60), (16 * 60, 17 * 60 + 30)]


@dataclass
class Summary:
    organisations: int = 0
    coordinators: int = 0
    volunteers: int = 0
    mentees: int = 0
    help_requests: int = 0
    created_users: list[int] = field(default_factory=list)


def _weighted(rng: random.Random, items, k: int) -> list[str]:
    chosen: list[str] = []
    population, weights = zip(*items, strict=True)
    while len(chosen) < k:
        pick = rng.choices(population, weights)[0]
        if pick not in chosen:
            chosen.append(pick)
    return chosen


def _windows(rng: random.Random) -> list[tuple[int, int, int]]:
    days = rng.sample(range(7), rng.randint(2, 4))
    return [(day, *rng.choice(EVENINGS)) for day in days]


def _languages(codes: list[str], levels: list[str]) -> list[dict]:
    return [{"language": code, "level": level} for code, level in zip(codes, levels, strict=True)]


def _skills(slugs) -> list[Skill]:
    return list(Skill.objects.filter(slug__in=slugs))


class DemoSeeder:
    def __init__(self, seed: int = 2026):
        self.rng = random.Random(seed)
        self.today = timezone.localdate()
        self.summary = Summary()

    def run(self) -> Summary:
        # Hash with a fast hasher while seeding, then give every new demo account one Argon2 hash of the
        # shared password: the same security as 190 separate hashes of it, in a fraction of the time.
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            organisations = self.organisations()
            coordinators = {org.slug: self.coordinators(org) for org in organisations}
            for org in organisations:
                self.volunteers(org, coordinators[org.slug][0])
                self.mentees(org, coordinators[org.slug][0])
            self.named_logins(organisations[0], coordinators[organisations[0].slug][0])
        if self.summary.created_users:
            User.objects.filter(pk__in=self.summary.created_users).update(password=make_password(PASSWORD))
        return self.summary

    def _new(self, email: str) -> bool:
        return not User.objects.filter(email=email).exists()

    def organisations(self) -> list[Organisation]:
        organisations = []
        for place in PLACES:
            org, created = Organisation.objects.get_or_create(
                slug=place.slug, defaults={"name": place.name, "country": place.country, "city": place.city}
            )
            self.summary.organisations += created
            organisations.append(org)
        return organisations

    def coordinators(self, org: Organisation) -> list[User]:
        place = next(p for p in PLACES if p.slug == org.slug)
        city = place.city.lower()
        people = []
        for index, name in enumerate([f"Coordinator {place.city}", f"Safeguarding lead {place.city}"]):
            email = f"coordinator.{city}@demo.example" if index == 0 else f"safeguarding.{city}@demo.example"
            if self._new(email):
                user = user_create(email=email, password=PASSWORD, display_name=name, role=Role.COORDINATOR,
                                   organisation=org, timezone=place.timezone,
                                   languages=[{"language": place.local_language, "level": "native"},
                                              {"language": "en", "level": "fluent"}])
                self.summary.coordinators += 1
                self.summary.created_users.append(user.pk)
            people.append(User.objects.get(email=email))
        return people

    def volunteers(self, org: Organisation, coordinator: User) -> None:
        place = next(p for p in PLACES if p.slug == org.slug)
        for index in range(15):
            name = VOLUNTEER_NAMES[(PLACES.index(place) * 15 + index) % len(VOLUNTEER_NAMES)]
            email = f"{_ascii(name)}.{place.city.lower()}{index}@volunteers.demo.example"
            rng = self.rng
            languages = [place.local_language, *_weighted(rng, VOLUNTEER_EXTRA_LANGUAGES, rng.randint(1, 2))]
            languages = list(dict.fromkeys(languages))
            levels = ["native"] + [rng.choice(["fluent", "fluent", "basic", "native"]) for _ in languages[1:]]
            skills = rng.sample(VOLUNTEER_SKILLS, rng.randint(1, 6))
            capacity = rng.choice([0, 1, 1, 2, 2, 3])
            windows = _windows(rng)
            vetting = rng.random()
            zone = place.timezone if rng.random() < 0.6 else rng.choice(VOLUNTEER_ZONES)
            bio = rng.choice(BIOS)
            if not self._new(email):
                continue
            volunteer = volunteer_signup(email=email, password=PASSWORD, display_name=name, organisation=org,
                                         timezone=zone, languages=_languages(languages, levels), bio=bio,
                                         skills=_skills(skills), capacity=capacity)
            availability_replace(user=volunteer.user, windows=windows)
            self._vet(volunteer, coordinator, vetting)
            self.summary.volunteers += 1
            self.summary.created_users.append(volunteer.user_id)

    def _vet(self, volunteer: Volunteer, coordinator: User, draw: float) -> None:
        checked = self.today - datetime.timedelta(days=int(draw * 600) + 10)
        if draw < 0.70:  # verified and current
            expires = self.today + datetime.timedelta(days=int(draw * 500) + 30)
            vetting_record(volunteer=volunteer, status="verified", checked_on=checked, expires_on=expires,
                           recorded_by=coordinator)
        elif draw < 0.78:  # verified but expired
            vetting_record(volunteer=volunteer, status="verified", checked_on=checked - datetime.timedelta(days=800),
                           expires_on=self.today - datetime.timedelta(days=5), recorded_by=coordinator)
        elif draw < 0.82:
            vetting_record(volunteer=volunteer, status="rejected", checked_on=checked, expires_on=None,
                           recorded_by=coordinator)
        # otherwise pending

    def mentees(self, org: Organisation, coordinator: User) -> None:
        place = next(p for p in PLACES if p.slug == org.slug)
        for index in range(30):
            rng = self.rng
            name = MENTEE_NAMES[(PLACES.index(place) * 30 + index) % len(MENTEE_NAMES)]
            email = f"{_ascii(name)}.{place.city.lower()}{index}@mentees.demo.example"
            minor = rng.random() < 0.15
            age = rng.randint(15, 17) if minor else rng.randint(18, 29)
            own = _weighted(rng, place.mentee_languages, 1)
            if rng.random() < 0.6:
                own.append(place.local_language if rng.random() < 0.5 else "en")
            own = list(dict.fromkeys(own))
            levels = ["native"] + ["basic"] * (len(own) - 1)
            windows = _windows(rng)
            requests = [rng.sample(NEEDS, rng.randint(1, 3)) for _ in range(rng.randint(1, 2))]
            urgencies = [rng.choice(["low", "normal", "normal", "high"]) for _ in requests]
            consent = rng.random() < 0.6
            closed = rng.random() < 0.1
            if not self._new(email):
                continue
            mentee = mentee_signup(email=email, password=PASSWORD, display_name=name, organisation=org,
                                   birth_year=self.today.year - age, timezone=place.timezone,
                                   languages=_languages(own, levels))
            availability_replace(user=mentee.user, windows=windows)
            if minor and consent:
                self._consent(mentee, coordinator)
            self._requests(mentee, requests, urgencies, close_first=closed)
            self.summary.mentees += 1
            self.summary.created_users.append(mentee.user_id)

    def _consent(self, mentee: Mentee, coordinator: User) -> None:
        guardian = self.rng.choice(["Mother", "Father", "Legal guardian", "Aunt", "Older brother"])
        consent_record(mentee=mentee, guardian_name=f"{guardian} of {mentee.user.display_name}",
                       given_on=self.today - datetime.timedelta(days=self.rng.randint(1, 90)),
                       method=self.rng.choice(["signed_form", "in_person", "email"]), recorded_by=coordinator)

    def _requests(self, mentee: Mentee, requests, urgencies, close_first=False) -> None:
        for position, (needs, urgency) in enumerate(zip(requests, urgencies, strict=True)):
            help_request = help_request_create(mentee=mentee, needs=_skills(needs), urgency=urgency,
                                               description=" ".join(REQUESTS[need] for need in needs))
            self.summary.help_requests += 1
            if close_first and position == 0:
                help_request_close(help_request=help_request)

    def named_logins(self, org: Organisation, coordinator: User) -> None:
        """Easy logins to try each role: a vetted volunteer, an adult mentee, a minor awaiting consent, staff."""
        place = PLACES[0]
        evenings = [(0, 18 * 60, 21 * 60), (2, 18 * 60, 21 * 60), (4, 17 * 60, 19 * 60)]
        if self._new("volunteer@demo.example"):
            volunteer = volunteer_signup(
                email="volunteer@demo.example", password=PASSWORD, display_name="Laila (demo volunteer)",
                organisation=org, timezone=place.timezone,
                languages=_languages(["ar", "en", "es"], ["native", "fluent", "fluent"]),
                bio="Front-end developer in Madrid, originally from Aleppo. I help with CVs and digital skills.",
                skills=_skills(["cv-writing", "digital-skills", "job-search", "web-development"]), capacity=3,
            )
            availability_replace(user=volunteer.user, windows=evenings)
            vetting_record(volunteer=volunteer, status="verified", checked_on=self.today - datetime.timedelta(days=30),
                           expires_on=self.today + datetime.timedelta(days=700), recorded_by=coordinator)
            self.summary.volunteers += 1
            self.summary.created_users.append(volunteer.user_id)
        if self._new("mentee@demo.example"):
            mentee = mentee_signup(email="mentee@demo.example", password=PASSWORD,
                                   display_name="Karim (demo mentee)", organisation=org,
                                   birth_year=self.today.year - 22, timezone=place.timezone,
                                   languages=_languages(["ar", "es"], ["native", "basic"]))
            availability_replace(user=mentee.user, windows=[(0, 19 * 60, 22 * 60), (2, 19 * 60, 22 * 60)])
            self._requests(mentee, [["cv-writing", "job-search"]], ["high"])
            self.summary.mentees += 1
            self.summary.created_users.append(mentee.user_id)
        if self._new("minor@demo.example"):
            minor = mentee_signup(email="minor@demo.example", password=PASSWORD, display_name="Sami (demo minor)",
                                  organisation=org, birth_year=self.today.year - 16, timezone=place.timezone,
                                  languages=_languages(["ar", "fr"], ["native", "basic"]))
            availability_replace(user=minor.user, windows=[(1, 17 * 60, 19 * 60), (3, 17 * 60, 19 * 60)])
            self._requests(minor, [["homework-help", "digital-skills"]], ["normal"])
            self.summary.mentees += 1
            self.summary.created_users.append(minor.user_id)
        self._demo_pair(coordinator)
        if self._new("admin@demo.example"):
            admin = User.objects.create_superuser("admin@demo.example", PASSWORD, display_name="Demo admin")
            self.summary.created_users.append(admin.pk)


    def _demo_pair(self, coordinator: User) -> None:
        """Pair the demo volunteer and the demo mentee, so their conversation can be tried at once."""
        from scheduling.models import Pairing
        from scheduling.services.pairings import pairing_approve

        volunteer = Volunteer.objects.get(user__email="volunteer@demo.example")
        mentee = Mentee.objects.get(user__email="mentee@demo.example")
        if Pairing.objects.filter(volunteer=volunteer, mentee=mentee).exists():
            return
        help_request = mentee.help_requests.first()
        proposal = Pairing.objects.create(organisation=coordinator.organisation, volunteer=volunteer, mentee=mentee,
                                          help_request=help_request, score=88.0,
                                          reasons=["speaks Arabic (native level)", "covers cv-writing, job-search",
                                                   "120 min a week in common"])
        pairing_approve(pairing_id=proposal.pk, by=coordinator)


def _ascii(name: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()


@transaction.atomic
def seed(seed: int = 2026) -> Summary:
    if not Language.objects.exists():
        raise RuntimeError("The vocabulary is missing: run `manage.py migrate` first.")
    return DemoSeeder(seed).run()
