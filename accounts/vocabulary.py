"""The shared vocabulary seeded by migration: languages people speak and skills / help areas.

Labels are English and marked for translation; they are translated when shown.
"""

from django.utils.translation import gettext_noop

# (ISO 639 code, English name, native name, right to left)
LANGUAGES: list[tuple[str, str, str, bool]] = [
    ("ar", "Arabic", "العربية", True),
    ("fa", "Persian (Farsi)", "فارسی", True),
    ("prs", "Dari", "دری", True),
    ("ps", "Pashto", "پښتو", True),
    ("ku", "Kurdish (Kurmanji)", "Kurmancî", False),
    ("ckb", "Kurdish (Sorani)", "کوردیی ناوەندی", True),
    ("ur", "Urdu", "اردو", True),
    ("uk", "Ukrainian", "Українська", False),
    ("ru", "Russian", "Русский", False),
    ("ti", "Tigrinya", "ትግርኛ", False),
    ("am", "Amharic", "አማርኛ", False),
    ("so", "Somali", "Soomaali", False),
    ("ha", "Hausa", "Hausa", False),
    ("bm", "Bambara", "Bamanankan", False),
    ("wo", "Wolof", "Wolof", False),
    ("ln", "Lingala", "Lingála", False),
    ("sw", "Swahili", "Kiswahili", False),
    ("bn", "Bengali", "বাংলা", False),
    ("tr", "Turkish", "Türkçe", False),
    ("sq", "Albanian", "Shqip", False),
    ("en", "English", "English", False),
    ("fr", "French", "Français", False),
    ("es", "Spanish", "Español", False),
    ("it", "Italian", "Italiano", False),
    ("el", "Greek", "Ελληνικά", False),
    ("de", "German", "Deutsch", False),
    ("pt", "Portuguese", "Português", False),
    ("ca", "Catalan", "Català", False),
]

# (slug, English label, category)
SKILLS: list[tuple[str, str, str]] = [
    # What mentees ask for
    ("cv-writing", gettext_noop("CV writing"), "help_area"),
    ("job-search", gettext_noop("Job search and interviews"), "help_area"),
    ("digital-skills", gettext_noop("Basic digital skills"), "help_area"),
    ("online-safety", gettext_noop("Online safety and privacy"), "help_area"),
    ("education-guidance", gettext_noop("Education and course guidance"), "help_area"),
    ("homework-help", gettext_noop("Homework and study support"), "help_area"),
    ("legal-orientation", gettext_noop("Legal orientation (finding official help)"), "help_area"),
    ("housing", gettext_noop("Housing search"), "help_area"),
    ("health-navigation", gettext_noop("Finding your way in the health system"), "help_area"),
    ("social-integration", gettext_noop("Social integration and local life"), "help_area"),
    ("public-services", gettext_noop("Public services and paperwork online"), "help_area"),
    ("entrepreneurship", gettext_noop("Starting a small business"), "help_area"),
    ("financial-literacy", gettext_noop("Money, banking and budgeting"), "help_area"),
    ("wellbeing", gettext_noop("Wellbeing and motivation"), "help_area"),
    # Language learning
    ("language-practice", gettext_noop("Language practice (conversation)"), "language"),
    ("translation-help", gettext_noop("Help with translating documents"), "language"),
    # What ICT volunteers offer
    ("computer-basics", gettext_noop("Computer and smartphone basics"), "ict"),
    ("office-tools", gettext_noop("Office tools (documents, spreadsheets)"), "ict"),
    ("web-development", gettext_noop("Web development"), "ict"),
    ("python", gettext_noop("Python programming"), "ict"),
    ("javascript", gettext_noop("JavaScript programming"), "ict"),
    ("data-analysis", gettext_noop("Data analysis"), "ict"),
    ("graphic-design", gettext_noop("Graphic design"), "ict"),
    ("digital-marketing", gettext_noop("Digital marketing and social media"), "ict"),
    ("it-support", gettext_noop("IT support and networking"), "ict"),
    ("cybersecurity", gettext_noop("Cybersecurity"), "ict"),
    ("video-editing", gettext_noop("Video and audio editing"), "ict"),
]
