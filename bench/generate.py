"""A synthetic corpus of Korean industrial-policy news, for the benchmark.

Writes N articles built from the project's own templates and the shipped
gazetteers (real ministries, provinces, cities, industries, organisations,
countries), with invented people, plans, alliances, institutes and events.
Each article has a cast (a region, its leader, a ministry, industries, a
plan...) and says things about it in varied sentence forms: pledges, lists of
industries, "X City Mayor Y", alliances with member lists, acronym
definitions, quotes, figures. Around the article sits page chrome: menus,
metadata rows, "(END)" and lists of unrelated headlines, comment forms,
copyright lines; some articles are HTML pages or Markdown.

Deterministic: the same seed and N give byte-identical files (each document
has its own random stream). Streaming: one document is built, written and
dropped at a time, so 100,000 articles take no more memory than one.

    python bench/generate.py 10000 /tmp/corpus-10k --seed 7
"""
from __future__ import annotations

import argparse
import html
import json
import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from policygraph.schema.gazetteer import GazEntry, default_gazetteer

VERSION = 1  # bump when the output changes, so cached corpora are rebuilt
MANIFEST = "MANIFEST.json"
PER_FOLDER = 1000

SURNAMES = ("Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han", "Oh", "Seo",
            "Shin", "Kwon", "Hwang", "Ahn", "Yoo", "Hong", "Jeon", "Yang", "Bae", "Baek", "Heo", "Nam",
            "Sim", "Noh", "Kwak", "Sung", "Cha", "Joo", "Woo", "Koo", "Min", "Ryu", "Jin", "Eom", "Chae",
            "Won", "Bang", "Gong", "Hyun", "Byun", "Yeom", "Yeo", "Seok", "Seol", "Gil", "Pyo", "Maeng")
SYLLABLES = ("min", "jae", "hyun", "soo", "young", "ho", "jin", "woo", "seok", "hee", "yeon", "ji", "eun",
             "kyung", "sung", "tae", "dong", "chul", "hye", "mi", "seung", "jun", "hoon", "won", "sang",
             "yong", "kyu", "hwan", "jung", "sook", "nam", "gi", "cheol", "il", "bin", "yun", "da", "ha",
             "joon", "gyu", "su", "jong", "hak", "sik", "myung", "beom", "geun", "han", "seon", "ryeong")
ORDINALS = ("1st", "2nd", "3rd", "4th", "5th", "6th", "7th", "8th", "9th", "10th")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
MONTH_ABBR = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")
DATELINE_CITIES = ("SEOUL", "SEJONG", "BUSAN", "DAEJEON", "INCHEON", "GWANGJU", "ULSAN", "DAEGU")
OUTLETS = (("Yonhap", "yna.co.kr"), ("Korea Herald", "koreaherald.com"), ("Korea Times", "koreatimes.co.kr"),
           ("Korea.net", "korea.kr"), ("BusinessKorea", "businesskorea.co.kr"), ("Pulse", "pulsenews.co.kr"))
PLAN_FORMS = ("{region} {ind} Cluster", "{ind} Innovation Strategy", "{ord} Basic Plan for {ind} Industry Promotion",
              "K-{ind} Strategy", "{region} {ind} Valley Project", "{ind} Competitiveness Enhancement Plan",
              "{region} {ind} Special Zone", "Future {ind} Roadmap", "{ord} Master Plan for {ind} Industry",
              "{region} {ind} Belt Project")
ALLIANCE_FORMS = ("{adj} {ind} Belt Alliance", "{region} {ind} Council", "{adj} {ind} Industry Alliance",
                  "{ind} Cities Consortium")
ADJECTIVES = ("Future Smart", "Southeast", "Inland", "West Coast", "East Sea", "Central", "Green", "New Growth",
              "Honam", "Yeongnam", "Chungcheong", "Digital")
INSTITUTE_FORMS = ("Korea Institute of {ind} Technology", "{region} {ind} Promotion Agency",
                   "Korea {ind} Research Institute", "{region} Techno Park {ind} Center",
                   "National {ind} Innovation Center")
EVENT_FORMS = ("{ord} Ministerial Meeting on {ind} Competitiveness", "{region} {ind} Forum {year}",
               "{ord} Industrial Innovation Strategy Meeting", "{ind} Investment Briefing Session {year}",
               "{region} {ind} Expo {year}")
HEADLINES = ("{co} posts record quarterly profit", "(LEAD) {prov} hit by heavy rain, hundreds evacuated",
             "BTS member to return from military service", "{co} shares rise on export hopes",
             "(2nd LD) N. Korea fires ballistic missile into East Sea", "{person} wins local singing contest",
             "Seoul stocks open higher on tech gains", "Won weakens against dollar for third day",
             "(News Focus) Housing prices in {prov} keep falling", "{co} to hold shareholders' meeting next month",
             "Weather forecast: sunny skies across {prov}", "K-pop concert draws 50,000 fans in {prov}",
             "Police investigate fire at apartment complex in {city}", "(Yonhap Interview) {person} on tourism",
             "Baseball: {city} team clinches playoff spot")
MENU = ("Skip to main content", "Main menu", "Home", "News", "Press Releases", "Photo News", "Search", "Login",
        "Subscribe", "Font size", "Print", "Share", "Facebook", "Twitter", "KakaoTalk")
COMMENT_FORM = ("Leave a Reply", "Your email address will not be published. Required fields are marked *",
                "Comment *", "Name *", "Email *", "Website", "Post Comment")


# -- the pools the articles draw their actors from ---------------------------------------------
@dataclass(frozen=True, slots=True)
class Person:
    name: str
    title: str  # written before the name: "Governor", "Mayor", "Minister", "CEO", "Professor", "Rep."


@dataclass(slots=True)
class Pools:
    ministries: list[GazEntry]
    provinces: list[GazEntry]
    cities_by_province: dict[str, list[GazEntry]]
    industries: list[GazEntry]
    companies: list[GazEntry]
    institutes: list[GazEntry]
    universities: list[GazEntry]
    associations: list[GazEntry]
    parties: list[GazEntry]
    countries: list[GazEntry]
    real_plans: list[GazEntry]
    # Office holders by gazetteer id (several over the years), and people outside any office list.
    holders: dict[str, list[Person]] = field(default_factory=dict)
    professors: list[tuple[Person, str]] = field(default_factory=list)  # (person, university)
    lawmakers: list[tuple[Person, str]] = field(default_factory=list)  # (person, party)
    plans: list[str] = field(default_factory=list)
    alliances: list[str] = field(default_factory=list)
    institutes_new: list[tuple[str, str]] = field(default_factory=list)  # (full name, acronym)
    events: list[str] = field(default_factory=list)


def build_pools(seed: int, n_docs: int) -> Pools:
    """Real actors from the gazetteers; invented ones in numbers that grow with the corpus."""
    gaz = default_gazetteer()

    def of(type_: str, *kinds: str) -> list[GazEntry]:
        return sorted((e for e in gaz.entries.values() if e.type == type_ and (not kinds or e.kind in kinds)),
                      key=lambda e: e.id)

    cities: dict[str, list[GazEntry]] = {}
    for city in of("City"):
        cities.setdefault(city.parent, []).append(city)
    pools = Pools(ministries=of("Ministry", "ministry"), provinces=of("Province"), cities_by_province=cities,
                  industries=of("Industry"), companies=of("Organization", "company"),
                  institutes=of("Organization", "institute"), universities=of("Organization", "university"),
                  associations=of("Organization", "association"), parties=of("Organization", "party"),
                  countries=of("Country"), real_plans=of("Plan"))
    rng = random.Random(f"{seed}:pools")
    person = lambda title: Person(f"{rng.choice(SURNAMES)} {rng.choice(SYLLABLES).capitalize()}-{rng.choice(SYLLABLES)}",
                                  title)
    for p in pools.provinces:
        pools.holders[p.id] = [person(province_title(p)) for _ in range(3)]
    for c in (c for cs in cities.values() for c in cs):
        pools.holders[c.id] = [person(city_title(c.name)) for _ in range(2)]
    for m in pools.ministries:
        pools.holders[m.id] = [person("Minister") for _ in range(4)]
    for group, title in ((pools.companies, "CEO"), (pools.associations, "Chairman"), (pools.institutes, "Director")):
        for e in group:
            pools.holders[e.id] = [person(title) for _ in range(2)]
    pools.professors = [(person("Professor"), rng.choice(pools.universities).name) for _ in range(max(100, n_docs // 8))]
    pools.lawmakers = [(person("Rep."), rng.choice(pools.parties).name) for _ in range(max(60, n_docs // 25))]
    pools.plans = _unique_names(rng, max(100, n_docs // 6), lambda: _fill(rng, rng.choice(PLAN_FORMS), pools))
    pools.alliances = _unique_names(rng, max(40, n_docs // 40), lambda: _fill(rng, rng.choice(ALLIANCE_FORMS), pools))
    names = _unique_names(rng, max(60, n_docs // 20), lambda: _fill(rng, rng.choice(INSTITUTE_FORMS), pools))
    pools.institutes_new = [(name, _acronym(name)) for name in names]
    pools.events = _unique_names(rng, max(60, n_docs // 15), lambda: _fill(rng, rng.choice(EVENT_FORMS), pools))
    return pools


def _unique_names(rng: random.Random, count: int, make: Callable[[], str]) -> list[str]:
    seen: dict[str, None] = {}
    for _ in range(count * 4):
        seen.setdefault(make(), None)
        if len(seen) >= count:
            break
    return list(seen)


def province_title(province: GazEntry) -> str:
    # Provinces have governors; metropolitan and special cities have mayors.
    return "Governor" if "Province" in province.name or province.id == "province:jeju" else "Mayor"


def city_title(city: str) -> str:
    if city.endswith("-gu"):
        return "District Head"
    if city.endswith(("-gun", "County")):
        return "County Head"
    return "Mayor"


def _fill(rng: random.Random, form: str, pools: Pools) -> str:
    return form.format(region=short_region(rng.choice(pools.provinces).name),
                       ind=title_word(rng.choice(pools.industries).name), ord=rng.choice(ORDINALS),
                       adj=rng.choice(ADJECTIVES), year=rng.randint(2019, 2026))


def short_region(name: str) -> str:
    return name.removesuffix(" Province")


SMALL_WORDS = frozenset({"and", "of", "for", "the", "in", "on"})


def title_word(industry: str) -> str:
    """'secondary batteries' -> 'Secondary Battery': the form used inside plan names."""
    words = industry.replace(" industry", "").replace(" industries", "").replace(",", "").split()
    last = words[-1]
    if last.endswith("ies") and len(last) > 4:
        last = last[:-3] + "y"
    elif last.endswith("s") and not last.endswith(("ss", "us", "ics")) and len(last) > 3:
        last = last[:-1]
    words[-1] = last
    return " ".join(w if w.isupper() or any(c.isdigit() for c in w) or (i and w in SMALL_WORDS) else w.capitalize()
                    for i, w in enumerate(words))


def _acronym(name: str) -> str:
    return "".join(w[0] for w in name.replace("-", " ").split() if w[0].isupper() or w[0].isdigit())


def _skewed(rng: random.Random, items: list):
    """Early items are drawn far more often: hubs and a long tail, as in real news."""
    return items[int(len(items) * rng.random() ** 2.2)]


# -- one article -----------------------------------------------------------------------------------
@dataclass(slots=True)
class Cast:
    province: GazEntry
    governor: Person
    cities: list[GazEntry]
    mayor: Person  # of cities[0]
    ministry: GazEntry
    minister: Person
    industries: list[str]
    plan: str
    alliance: str
    institute: tuple[str, str]
    real_institute: GazEntry
    director: Person
    companies: list[str]
    ceo: Person  # of companies[0]
    professor: tuple[Person, str]
    lawmaker: tuple[Person, str]
    event: str
    countries: list[str]
    date: tuple[int, int, int]


def _cast(rng: random.Random, pools: Pools) -> Cast:
    province = rng.choice(pools.provinces)
    cities = pools.cities_by_province.get(province.id) or [c for cs in pools.cities_by_province.values() for c in cs]
    cities = rng.sample(cities, min(len(cities), rng.randint(2, 5)))
    ministry = rng.choice(pools.ministries)
    companies = rng.sample(pools.companies, 3)
    institute = rng.choice(pools.institutes)
    return Cast(province=province, governor=rng.choice(pools.holders[province.id]), cities=cities,
                mayor=rng.choice(pools.holders[cities[0].id]), ministry=ministry,
                minister=rng.choice(pools.holders[ministry.id]),
                industries=[_surface(rng, e) for e in rng.sample(pools.industries, rng.randint(3, 7))],
                plan=_skewed(rng, pools.plans) if rng.random() < 0.85 else rng.choice(pools.real_plans).name,
                alliance=_skewed(rng, pools.alliances), institute=_skewed(rng, pools.institutes_new),
                real_institute=institute, director=rng.choice(pools.holders[institute.id]),
                companies=[e.name for e in companies], ceo=rng.choice(pools.holders[companies[0].id]),
                professor=_skewed(rng, pools.professors), lawmaker=_skewed(rng, pools.lawmakers),
                event=_skewed(rng, pools.events), countries=[e.name for e in rng.sample(pools.countries[:30], 3)],
                date=(rng.randint(2018, 2025), rng.randint(1, 12), rng.randint(1, 28)))


def _surface(rng: random.Random, entry: GazEntry) -> str:
    # Mostly the canonical name, sometimes an alias: the same thing written several ways.
    if entry.aliases and rng.random() < 0.25:
        return rng.choice(entry.aliases)
    return entry.name


def _listing(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _surname(p: Person) -> str:
    return p.name.split()[0]


def _ministry(rng: random.Random, m: GazEntry) -> str:
    acronyms = [a for a in m.aliases if a.isupper()]
    if acronyms and rng.random() < 0.5:
        return f"{m.name} ({acronyms[0]})"
    return m.name


def _city_leader(c: Cast) -> str:
    """'Suwon City Mayor Kim Min-jae', 'Yeoncheon County Head ...', 'Jongno-gu District Head ...'."""
    city = c.cities[0].name
    if c.mayor.title == "Mayor":
        return f"{city} City Mayor {c.mayor.name}"
    if c.mayor.title == "County Head":
        return f"{city.removesuffix(' County')} County Head {c.mayor.name}"
    return f"{city} District Head {c.mayor.name}"


def _region(c: Cast) -> str:
    return short_region(c.province.name)


SentenceForm = Callable[[random.Random, Cast], str]
FORMS: list[SentenceForm] = []


def form(func: SentenceForm) -> SentenceForm:
    FORMS.append(func)
    return func


@form
def _pledge(r: random.Random, c: Cast) -> str:
    who = r.choice((f"{c.governor.title} {c.governor.name}", f"Rep. {c.lawmaker[0].name} of the {c.lawmaker[1]}"))
    return (f"{who} pledged on {r.choice(WEEKDAYS)} to foster {_listing(c.industries[:r.randint(2, 4)])} "
            f"as the next growth engines of {_region(c)}.")


@form
def _governor_invests(r: random.Random, c: Cast) -> str:
    unit = "province" if c.governor.title == "Governor" else "city"
    return (f"{c.province.name} {c.governor.title} {c.governor.name} said the {unit} will invest "
            f"{r.randint(2, 900)} billion won in {c.industries[0]} by {r.randint(2026, 2035)}.")


@form
def _city_mayor(r: random.Random, c: Cast) -> str:
    return (f"{_city_leader(c)} announced the {c.plan}, which aims to attract {r.randint(20, 300)} companies "
            f"in {c.industries[-1]}.")


@form
def _plan_targets(r: random.Random, c: Cast) -> str:
    return f"The {c.plan} targets {_listing(c.industries[:r.randint(2, len(c.industries))])}."


@form
def _ministry_unveils(r: random.Random, c: Cast) -> str:
    return (f"The {_ministry(r, c.ministry)} unveiled the {c.plan} on {r.choice(WEEKDAYS)}, designating "
            f"{_listing([x.name for x in c.cities[:3]])} as hubs for {c.industries[1]}.")


@form
def _alliance(r: random.Random, c: Cast) -> str:
    return (f"{_listing([x.name for x in c.cities])} launched the {c.alliance} to promote {c.industries[0]} and "
            f"{c.industries[-1]} across the region.")


@form
def _alliance_members(r: random.Random, c: Cast) -> str:
    return (f"The alliance of {_listing([x.name for x in c.cities[:3]])} will also push for {c.industries[1]} "
            f"projects worth {r.randint(1, 40)} trillion won.")


@form
def _acronym_definition(r: random.Random, c: Cast) -> str:
    name, short = c.institute
    return (f"The {name} ({short}) will run a testbed for {c.industries[0]}, and {short} researchers will "
            f"support local small and medium-sized enterprises.")


@form
def _minister_presides(r: random.Random, c: Cast) -> str:
    who = r.choice((f"Minister {c.minister.name}", f"{c.ministry.name} Minister {c.minister.name}"))
    return (f"{who} presided over the {c.event} in Sejong, where officials reviewed support for "
            f"{_listing(c.industries[-2:])}.")


@form
def _companies_join(r: random.Random, c: Cast) -> str:
    return f"{_listing(c.companies)} will join the {c.plan} as anchor companies."


@form
def _ceo(r: random.Random, c: Cast) -> str:
    return (f"{c.companies[0]} CEO {c.ceo.name} said the company will build a {c.industries[r.randrange(3)]} "
            f"plant in {c.cities[-1].name} by {r.randint(2026, 2030)}.")


@form
def _quote(r: random.Random, c: Cast) -> str:
    return (f"\"We will make {_region(c)} the hub of the {c.industries[0]} industry in Asia,\" "
            f"{_surname(c.governor)} said.")


@form
def _cooperation(r: random.Random, c: Cast) -> str:
    return (f"The government will strengthen supply chain cooperation with {_listing(c.countries)} in "
            f"{c.industries[-1]}.")


@form
def _professor(r: random.Random, c: Cast) -> str:
    p, university = c.professor
    return (f"Professor {p.name} of {university} said {c.industries[r.randrange(len(c.industries))]} "
            f"needs more specialized talent than local universities can supply.")


@form
def _figures(r: random.Random, c: Cast) -> str:
    return (f"Exports of {c.industries[r.randrange(len(c.industries))]} rose {r.randint(1, 40)}.{r.randint(0, 9)} "
            f"percent from a year earlier to ${r.randint(1, 99)}.{r.randint(0, 9)} billion in "
            f"{MONTHS[r.randrange(12)]}.")


@form
def _director(r: random.Random, c: Cast) -> str:
    return (f"Director {c.director.name} of the {c.real_institute.name} said the {c.plan} would create "
            f"{r.randint(1, 50)},000 jobs.")


@form
def _belongs(r: random.Random, c: Cast) -> str:
    return (f"{c.cities[-1].name}, a city in {c.province.name}, joined the {c.alliance} last year and hosts a "
            f"{c.industries[0]} research center.")


@form
def _event(r: random.Random, c: Cast) -> str:
    return (f"The {c.event} drew officials from the {c.ministry.name}, the {c.institute[0]} and "
            f"{c.companies[r.randrange(3)]}.")


FILLERS = (
    "Officials said the details would be finalized after consultations with local governments.",
    "The measures will be reflected in next year's budget proposal, according to the ministry.",
    "Industry watchers said the plan could help narrow the gap between the capital area and other regions.",
    "The announcement came amid growing concerns over slowing exports and weak domestic demand.",
    "A public hearing on the plan will be held next month.",
    "Critics, however, said the funding is too small to make a difference.",
    "The government will also ease regulations on land use and hiring of foreign engineers.",
    "Local business groups welcomed the decision but asked for faster permits.",
)


def _title(r: random.Random, c: Cast) -> str:
    return r.choice((
        f"{_region(c)} to foster {c.industries[0]} industry",
        f"{c.ministry.name} unveils {c.plan}",
        f"{_surname(c.governor)} vows to make {_region(c)} a {c.industries[0]} hub",
        f"{c.cities[0].name} joins {c.alliance}",
        f"{c.event} held in Sejong",
    ))


@dataclass(slots=True)
class Article:
    doc_id: str
    kind: str  # "txt", "md" or "html"
    title: str
    dateline: str
    date_line: str
    paragraphs: list[str]
    contact: str
    headlines: list[str]
    comments: bool
    menu: list[str]
    outlet: str


def article(seed: int, index: int, pools: Pools, html_share: float = 0.1, md_share: float = 0.1) -> Article:
    r = random.Random(f"{seed}:doc:{index}")
    c = _cast(r, pools)
    y, mo, d = c.date
    outlet, domain = r.choice(OUTLETS)
    forms = r.sample(FORMS, r.randint(10, len(FORMS)))
    sentences = [f(r, c) for f in forms]
    for _ in range(r.randint(1, 4)):
        sentences.insert(r.randint(1, len(sentences)), r.choice(FILLERS))
    paragraphs: list[str] = []
    while sentences:
        take = r.choice((1, 1, 2, 3))
        paragraphs.append(" ".join(sentences[:take]))
        sentences = sentences[take:]
    dateline = ""
    if outlet == "Yonhap" and r.random() < 0.8:
        dateline = f"{r.choice(DATELINE_CITIES)}, {MONTH_ABBR[mo - 1]} {d} (Yonhap) -- "
    date_line = r.choice((f"Date {y}.{mo:02d}.{d:02d} Views {r.randint(3, 9000)}", f"Published {y}-{mo:02d}-{d:02d}",
                          f"{MONTHS[mo - 1]} {d}, {y}",
                          f"Posted {y}-{mo:02d}-{d:02d} {r.randint(0, 23):02d}:{r.randint(0, 59):02d}"))

    def headline(form_: str) -> str:
        return form_.format(co=r.choice(pools.companies).name, prov=short_region(r.choice(pools.provinces).name),
                            city=r.choice(c.cities).name, person=_skewed(r, pools.professors)[0].name)

    roll = r.random()
    kind = "html" if roll < html_share else "md" if roll < html_share + md_share else "txt"
    return Article(doc_id=f"syn-{index:07d}", kind=kind, title=_title(r, c), dateline=dateline, date_line=date_line,
                   paragraphs=paragraphs,
                   contact=f"{r.choice(('desk', 'news', 'press', 'editor'))}{r.randint(1, 99)}@{domain}",
                   headlines=[headline(h) for h in r.sample(HEADLINES, r.randint(0, 12))],
                   comments=r.random() < 0.3, menu=r.sample(MENU, r.randint(0, 7)), outlet=outlet)


# -- rendering --------------------------------------------------------------------------------------
def render(a: Article) -> str:
    if a.kind == "html":
        return render_html(a)
    if a.kind == "md":
        return render_markdown(a)
    return render_text(a)


def render_text(a: Article) -> str:
    lines = [*a.menu, a.title, a.date_line, ""]
    body = list(a.paragraphs)
    body[0] = a.dateline + body[0]
    lines += body + [a.contact]
    if a.headlines:
        lines.append("(END)")
        for h in a.headlines:
            lines += ["-", h]
    if a.comments:
        lines += ["Related Post", *COMMENT_FORM]
    lines.append(f"Copyright {a.outlet}. All rights reserved.")
    return "\n".join(lines) + "\n"


def render_markdown(a: Article) -> str:
    parts = [f"# {a.title}", a.date_line, *(p for p in a.paragraphs)]
    parts[2] = a.dateline + parts[2]
    if a.headlines:
        parts += ["## Related Articles", "\n".join(f"- {h}" for h in a.headlines)]
    parts.append(f"Copyright {a.outlet}. All rights reserved.")
    return "\n\n".join(parts) + "\n"


def render_html(a: Article) -> str:
    e = html.escape
    menu = "".join(f'<li><a href="/{i}">{e(m)}</a></li>' for i, m in enumerate(a.menu))
    body = [a.dateline + a.paragraphs[0], *a.paragraphs[1:]]
    related = "".join(f'<li><a href="/news/{i}">{e(h)}</a></li>' for i, h in enumerate(a.headlines))
    form = "".join(f"<p>{e(x)}</p>" for x in COMMENT_FORM) if a.comments else ""
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{e(a.title)}</title>'
            f'<script>var page = {json.dumps(a.doc_id)};</script><style>nav li{{display:inline}}</style></head>\n'
            f'<body><header><nav><ul>{menu}</ul></nav></header>\n<main><article>\n<h1>{e(a.title)}</h1>\n'
            f'<p class="date">{e(a.date_line)}</p>\n' + "\n".join(f"<p>{e(p)}</p>" for p in body) +
            f'\n<p class="byline">{e(a.contact)}</p>\n</article>\n'
            f'<aside><h2>Related Articles</h2><ul>{related}</ul></aside>\n<section class="comments">{form}</section>'
            f'</main>\n<footer>Copyright {e(a.outlet)}. All rights reserved.</footer></body></html>\n')


# -- the corpus ----------------------------------------------------------------------------------------
def path_for(root: Path, index: int, kind: str) -> Path:
    return root / f"{index // PER_FOLDER:04d}" / f"syn-{index:07d}.{kind}"


def articles(n_docs: int, seed: int, html_share: float = 0.1, md_share: float = 0.1) -> Iterator[tuple[Article, str]]:
    pools = build_pools(seed, n_docs)
    for index in range(n_docs):
        a = article(seed, index, pools, html_share, md_share)
        yield a, render(a)


def generate(n_docs: int, out: Path, seed: int = 1, html_share: float = 0.1, md_share: float = 0.1) -> dict:
    """Write the corpus under `out` (one folder per 1,000 files) and a manifest; return the manifest."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MANIFEST).unlink(missing_ok=True)  # a manifest only ever describes a finished corpus
    started = time.monotonic()
    counts = {"txt": 0, "md": 0, "html": 0}
    words = size = 0
    for index, (a, text) in enumerate(articles(n_docs, seed, html_share, md_share)):
        path = path_for(out, index, a.kind)
        if index % PER_FOLDER == 0:
            path.parent.mkdir(exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(data)
        counts[a.kind] += 1
        words += len(text.split())
        size += len(data)
    manifest = {"version": VERSION, "documents": n_docs, "seed": seed, "html_share": html_share,
                "md_share": md_share, "files": counts, "words": words, "bytes": size,
                "seconds": round(time.monotonic() - started, 2)}
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def cached(n_docs: int, out: Path, seed: int = 1, html_share: float = 0.1, md_share: float = 0.1) -> dict | None:
    """The manifest of a finished corpus made with these settings, or None."""
    try:
        manifest = json.loads((Path(out) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    wanted = {"version": VERSION, "documents": n_docs, "seed": seed, "html_share": html_share, "md_share": md_share}
    return manifest if all(manifest.get(k) == v for k, v in wanted.items()) else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("documents", type=int, help="how many articles to write")
    parser.add_argument("out", type=Path, help="folder to write them to")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--html-share", type=float, default=0.1, help="fraction of articles written as HTML pages")
    parser.add_argument("--md-share", type=float, default=0.1, help="fraction written as Markdown")
    args = parser.parse_args(argv)
    if args.documents < 1:
        parser.error("documents must be at least 1")
    manifest = generate(args.documents, args.out, args.seed, args.html_share, args.md_share)
    print(json.dumps(manifest), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
