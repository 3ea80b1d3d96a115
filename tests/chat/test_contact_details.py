"""Contact-detail detection, with generated disguised variants and ordinary mentoring talk that must pass."""

import random

import pytest

from chat.contact_details import find_contact_details, normalise, reason

RNG = random.Random(20261122)
PHONES = ["+34 612 345 678", "0034612345678", "07700 900123", "077 1234 5678", "+30 694 123 4567",
          "+380 67 123 4567", "+357 99 123456", "+39 347 123 4567", "0612345678", "+44 (0)7700 900123"]
WORDS = {"0": ["zero", "cero", "oh"], "1": ["one", "uno"], "2": ["two", "dos", "deux"], "3": ["three", "tres"],
         "4": ["four", "cuatro"], "5": ["five", "cinco"], "6": ["six", "seis"], "7": ["seven", "siete", "sept"],
         "8": ["eight", "ocho", "huit"], "9": ["nine", "nueve", "neuf"]}
ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def digits_of(phone: str) -> str:
    return "".join(c for c in phone if c.isdigit())


def phone_variants(phone: str) -> list[str]:
    digits = digits_of(phone)
    separators = [" ", ".", "-", "/", " - ", "  "]
    return [
        phone,
        f"call me {phone} tonight",
        " ".join(digits),
        RNG.choice(separators).join(digits[i:i + RNG.randint(2, 4)] for i in range(0, len(digits), 3)),
        " ".join(RNG.choice(WORDS[d]) for d in digits),
        digits.replace("0", "O"),
        digits.translate(ARABIC),
        f"رقمي {digits.translate(PERSIAN)}",
        digits.translate(FULL_WIDTH),
        "\u200b".join(digits),
        f"my number: {digits[:3]} {digits[3:6]} {digits[6:]}",
    ]


PHONE_CASES = [variant for phone in PHONES for variant in phone_variants(phone)]

NAMES = ["layla.k", "ahmad_99", "sofiia2008", "j.smith", "mo-ali"]
DOMAINS = [("gmail", "com"), ("hotmail", "es"), ("yahoo", "fr"), ("outlook", "com"), ("libero", "it")]


def email_variants(name: str, domain: str, tld: str) -> list[str]:
    return [
        f"{name}@{domain}.{tld}",
        f"write me: {name.upper()}@{domain.upper()}.{tld.upper()}",
        f"{name} at {domain} dot {tld}",
        f"{name} (at) {domain} (dot) {tld}",
        f"{name}[at]{domain}[.]{tld}",
        f"{name} @ {domain} . {tld}",
        f"{name} arroba {domain} punto {tld}",
        f"{name}{{at}}{domain}{{dot}}{tld}",
    ]


EMAIL_CASES = [v for name in NAMES for domain, tld in DOMAINS for v in email_variants(name, domain, tld)]

LINK_CASES = [
    "https://example.com/me", "http://my-site.org", "www.instagram.com/layla", "see wa.me/34612345678",
    "join t.me/+AbCdEf", "m.me/layla.k", "bit.ly/3xYz", "discord.gg/abcd", "instagram.com/layla_k",
    "my page is layla dot com", "chat.whatsapp.com/ABC123", "layla-designs.eu", "portfolio.site/layla",
]
HANDLE_CASES = [
    "insta: @layla_k", "ig @layla_k", "my snap is layla123", "snapchat: layla2009", "telegram @ahmad_99",
    "tg: ahmad_99", "add me on whatsapp", "whatsapp me", "discord layla#1234", "tiktok @sofiia.dance",
    "follow me on instagram", "text me on telegram", "my insta is layla.k", "@layla_k", "Snap - layla_k",
]
ORDINARY = [
    "See you at 18:30 on Monday!", "Monday 7-9pm works for me", "The interview is on 2026-11-23.",
    "Deadline 23/11/2026", "I am in room 12", "I am 17 years old", "My CV has 3 pages", "I have level B1 in Spanish",
    "We talked for 2 hours", "The course costs 50 euros", "I worked at a warehouse 2019-2021",
    "I use Python 3.11 and Excel", "Do you use WhatsApp?", "I don't have Instagram", "I deleted my TikTok",
    "I will be at the station at 10", "Dot the i's and cross the t's", "Thank you so much, see you next week",
    "Can we practise the present perfect?", "I finished chapter 4 and 5", "My bus is number 27",
    "The signal is weak here", "Instagram is full of fake job offers", "I had 3 interviews and 2 offers",
    "Version 1.2.3 of the app", "The postcode area is big", "Please send the CV as PDF", "Good luck tomorrow!",
    "مرحبا، كيف حالك؟ سأرسل سيرتي الذاتية غدا", "شكرا جزيلا على المساعدة", "Привіт! Дякую за допомогу з резюме",
    "Я маю співбесіду в понеділок о 10:00", "سلام، امروز کلاس زبان داشتم", "ممنون بابت کمک شما",
    "¿Podemos vernos el martes a las 19:00?", "Merci pour ton aide avec la lettre de motivation",
    "Tengo 2 preguntas sobre el contrato", "I need 7 days to finish the project", "Meeting 10:00-11:30",
    "Line 3 of the form asks for my name", "I scored 85 out of 100", "Page 12, exercise 4",
    "I live near the centre, 5 minutes from the school", "One two three, let's start!",
]


@pytest.mark.parametrize("text", PHONE_CASES)
def test_it_finds_phone_numbers_in_every_disguise(text):
    assert "phone" in {f.kind for f in find_contact_details(text)}, text


@pytest.mark.parametrize("text", EMAIL_CASES)
def test_it_finds_email_addresses_in_every_disguise(text):
    assert "email" in {f.kind for f in find_contact_details(text)}, text


@pytest.mark.parametrize("text", LINK_CASES)
def test_it_finds_links(text):
    assert "link" in {f.kind for f in find_contact_details(text)}, text


@pytest.mark.parametrize("text", HANDLE_CASES)
def test_it_finds_messenger_handles(text):
    assert "handle" in {f.kind for f in find_contact_details(text)}, text


@pytest.mark.parametrize("text", ORDINARY)
def test_it_leaves_ordinary_mentoring_talk_alone(text):
    assert find_contact_details(text) == []


def test_there_are_hundreds_of_generated_cases():
    assert len(PHONE_CASES) + len(EMAIL_CASES) >= 300


def test_it_folds_other_digit_scripts_and_invisible_characters():
    assert normalise("٠٧\u200b٧۱２") == "07712"


def test_the_reason_names_what_was_found():
    findings = find_contact_details("mail layla@gmail.com or call 0034 612 345 678")
    assert reason(findings) == "contains a phone number and an e-mail address"
    assert reason([]) == ""
