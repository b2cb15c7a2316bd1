"""Generated documents for the reliability tests: many small articles that share actors.

Names come from lists here (and the gazetteer's everyday places and
industries), so documents overlap in entities and relations the way a real
news corpus does; nothing is copied from ../shared.
"""
from __future__ import annotations

import random
from pathlib import Path

PROVINCES = ["Gyeonggi Province", "South Chungcheong Province", "North Gyeongsang Province", "Busan", "Incheon",
             "Gangwon Province", "South Jeolla Province", "Ulsan", "Daegu", "Jeju"]
CITIES = ["Suwon", "Hwaseong", "Pyeongtaek", "Cheonan", "Pohang", "Gumi", "Changwon", "Gimhae", "Yeosu", "Wonju"]
INDUSTRIES = ["semiconductors", "secondary batteries", "hydrogen", "bio-health", "shipbuilding", "aerospace",
              "robotics", "display", "steel", "artificial intelligence"]
MINISTRIES = ["Ministry of Trade, Industry and Energy", "Ministry of Economy and Finance",
              "Ministry of Science and ICT", "Ministry of Land, Infrastructure and Transport"]
GIVEN = ["Min-ho", "Seo-jin", "Tae-yeong", "Dong-hyun", "Ji-won", "Hye-jin", "Sung-min", "Young-soo"]
FAMILY = ["Kim", "Park", "Choi", "Jung", "Kang", "Yoon", "Han", "Shin"]
TITLES = ["Governor", "Mayor", "Minister"]


def article(rng: random.Random, n: int) -> str:
    lines = [f"Regional industry update {n}"]
    for _ in range(rng.randint(2, 5)):
        person = f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}"
        province, city = rng.choice(PROVINCES), rng.choice(CITIES)
        industry, other = rng.sample(INDUSTRIES, 2)
        lines.append(f"{province} {rng.choice(TITLES)} {person} on Monday announced support for the {industry} "
                     f"industry in {city}.")
        lines.append(f"The {rng.choice(MINISTRIES)} will back the {other} and {industry} projects in {city}, "
                     f"officials said.")
    return "\n".join(lines) + "\n"


def write_corpus(folder: Path, count: int, seed: int = 7) -> list[Path]:
    """`count` articles named gen-0000.txt ... in `folder`; the same seed gives the same files."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"gen-{n:04d}.txt"
        path.write_text(article(rng, n), encoding="utf-8")
        paths.append(path)
    return paths
