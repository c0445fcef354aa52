"""The registry's part of the plan: departments, staff, deputies and their changes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from .base import LEVEL_ORDER, Person, Plan, weekday
from .data import (
    BUREAUS,
    CITY,
    COMMUNITIES,
    COMPANIES,
    CPPCC_COUNTS,
    CPPCC_SECTORS,
    DEPARTMENTS,
    DISTRICTS,
    LAW_FIRMS,
    LEVEL_COUNTS,
    LEVEL_WEIGHT,
    LIAISON_BY_LEVEL,
    LIAISON_OFFICE,
    LIAISONS,
    NPC_SECTORS,
    OUT_OF_REACH,
    PROVINCE,
    ROADS,
    SCHOOLS,
    SHARED_NAMES,
    TERMS,
    TOWNS,
    VILLAGES,
)


class RegistryPlan(Plan):
    """Adds the registry's steps: keyed in on the first working days, then by-elections."""

    def unit_for(self, level: str, sector: str) -> tuple[str, str]:
        """A work unit and address fitting the level and sector."""
        rng = self.rng
        p = self.place()
        district, town, village = p["district"], p["town"], p["village"]
        office = f"{town}办事处" if town.endswith("街道") else f"{town}人民政府"
        company = CITY + rng.choice(COMPANIES)
        if level == "township":
            # township deputies live and work where they were elected
            unit = rng.choice(
                [f"{village}党支部", f"{village}村民委员会", office, f"{town}中心小学",
                 f"{town}卫生院", f"{district}{rng.choice(['水果', '茶叶', '蔬菜'])}种植专业合作社"]
            )  # fmt: skip
            return unit, f"{CITY}{district}{village}{rng.randint(1, 120)}号"
        choices = {
            "医疗卫生": [f"{district}人民医院", f"{CITY}中医院", f"{CITY}妇幼保健院"],
            "医药卫生界": [f"{CITY}第一人民医院", f"{district}中医院", f"{CITY}疾病预防控制中心"],
            "教育": [f"{CITY}{rng.choice(SCHOOLS)}", f"{district}实验小学", f"{CITY}职业技术学院"],
            "教育界": [f"{PROVINCE[:2]}大学", f"{CITY}第一中学", f"{CITY}职业技术学院"],
            "法律": [f"{PROVINCE[:2]}{rng.choice(LAW_FIRMS)}律师事务所"],
            "企业负责人": [company],
            "经济界": [company, f"{CITY}农村商业银行"],
            "工商联": [company],
            "农民": [f"{village}党支部", f"{district}{rng.choice(['水果', '茶叶'])}种植专业合作社"],
            "农业界": [f"{district}农业技术推广中心", f"{village}党支部"],
            "基层干部": [f"{village}党支部", office, f"{district}{rng.choice(COMMUNITIES)}居委会"],
            "党政干部": [f"{district}{rng.choice(BUREAUS)}", office, f"{PROVINCE}交通运输厅"],
            "工人": [company, f"{CITY}公交集团", f"{district}供电公司"],
            "科技": [f"{CITY}科学技术协会", f"{CITY}新能源科技有限公司", f"{CITY}农业科学研究院"],
            "科技界": [f"{CITY}科学技术协会", f"{CITY}农业科学研究院"],
            "文化": [f"{district}文化馆", f"{CITY}图书馆", f"{CITY}日报社"],
            "文化艺术界": [f"{district}文化馆", f"{CITY}歌舞剧院", f"{CITY}博物馆"],
        }  # fmt: skip
        default = [company, f"{district}{rng.choice(BUREAUS)}", f"{CITY}科学技术协会"]
        unit = rng.choice(choices.get(sector, default))
        return unit, f"{CITY}{district}{rng.choice(ROADS)}{rng.randint(1, 399)}号"

    def plan_registry(self) -> None:
        rng = self.rng
        setup = self.setup

        def add_dept(name: str) -> Callable[[Any], None]:
            return lambda o: o.call("registry", "add_department", name=name, on=o.day)

        def add_staff(name: str, dept: str) -> Callable[[Any], None]:
            return lambda o: o.add_staff(name, dept)

        for dept in (*DEPARTMENTS, LIAISON_OFFICE):
            self.at(setup, 0, add_dept(dept))
        for name in LIAISONS:
            self.at(setup, 0, add_staff(name, LIAISON_OFFICE))
        for dept, handlers in DEPARTMENTS.items():
            for name in handlers:
                self.at(setup, 0, add_staff(name, dept))

        taken: set[str] = set(SHARED_NAMES)
        shared = list(SHARED_NAMES)
        phones: set[str] = set()
        people: list[Person] = []
        for level, n in LEVEL_COUNTS.items():
            for i in range(n):
                body = "cppcc" if i < CPPCC_COUNTS[level] else "npc"
                sector = rng.choice(CPPCC_SECTORS if body == "cppcc" else NPC_SECTORS)
                unit, address = self.unit_for(level, sector)
                while True:
                    phone = "139" + "".join(rng.choice("0123456789") for _ in range(8))
                    if phone not in phones:
                        phones.add(phone)
                        break
                district = rng.choice(DISTRICTS)
                delegation = {
                    "national": f"{PROVINCE[:2]}代表团",
                    "provincial": f"{CITY}代表团",
                    "municipal": f"{district}代表团",
                    "county": f"{rng.choice(TOWNS[district])}代表组",
                    "township": f"{rng.choice(VILLAGES)}选区",
                }[level]
                people.append(
                    Person(
                        name="",
                        body=body,
                        level=level,
                        since=setup,
                        weight=min(8.0, rng.paretovariate(1.6)) * LEVEL_WEIGHT[level],
                        fields={
                            "term": TERMS[(body, level)],
                            "delegation": None if body == "cppcc" else delegation,
                            "unit": unit,
                            "sector": sector,
                            "phone": phone,
                            "address": address,
                            "liaison": rng.choice(LIAISON_BY_LEVEL[level])
                            if rng.random() < 0.92
                            else None,
                        },
                    )
                )
        # the shared names go to NPC deputies spread over the levels
        npc = [p for p in people if p.body == "npc"]
        for person, name in zip(rng.sample(npc, len(shared)), shared, strict=True):
            person.name = name
        for person in people:
            if not person.name:
                person.name = self.name(taken)
        for person in people:
            person.unique = person.name not in SHARED_NAMES
            if rng.random() < OUT_OF_REACH[person.level]:
                person.reach = 0.005
        # a few deputies join later in by-elections (补选)
        for person in rng.sample(npc, 8):
            joined = self.start + timedelta(days=rng.randint(200, 700))
            person.since = weekday(joined, joined)
        people.sort(key=lambda p: (p.since, LEVEL_ORDER[p.level]))
        self.people = people

        def add_deputy(p: Person) -> Callable[[Any], None]:
            return lambda o: o.add_deputy(p)

        for person in people:
            self.at(person.since, 0, add_deputy(person))
        # a few phone numbers change over the years
        for person in rng.sample(npc, 6):
            changed = person.since + timedelta(days=rng.randint(60, 600))
            phone = "139" + "".join(rng.choice("0123456789") for _ in range(8))
            self.at(weekday(changed, changed), 0, self._edit_phone(person, phone))

    @staticmethod
    def _edit_phone(person: Person, phone: str) -> Callable[[Any], None]:
        return lambda o: o.call(
            "deputies", "edit_deputy", ref=str(person.id), on=o.day, changes={"phone": phone}
        )
