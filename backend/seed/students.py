"""Demo residents: a deterministic cohort of students with bilingual names, housed in the
demo buildings (the demo accounts s20240001/s20240002 keep their own rooms)."""

import random
from typing import NamedTuple

from backend.identity.models import Allergen, Diet, Locale

STUDENT_COUNT = 240
FIRST_NUMBER = 20240003  # s20240001/2 are the documented demo accounts

SURNAMES = [
    ("王", "Wang"), ("李", "Li"), ("张", "Zhang"), ("刘", "Liu"), ("陈", "Chen"),
    ("杨", "Yang"), ("黄", "Huang"), ("赵", "Zhao"), ("吴", "Wu"), ("周", "Zhou"),
    ("徐", "Xu"), ("孙", "Sun"), ("马", "Ma"), ("朱", "Zhu"), ("胡", "Hu"),
    ("郭", "Guo"), ("何", "He"), ("高", "Gao"), ("林", "Lin"), ("罗", "Luo"),
    ("郑", "Zheng"), ("梁", "Liang"), ("谢", "Xie"), ("宋", "Song"), ("唐", "Tang"),
    ("许", "Xu"), ("韩", "Han"), ("冯", "Feng"), ("邓", "Deng"), ("曹", "Cao"),
    ("彭", "Peng"), ("曾", "Zeng"), ("肖", "Xiao"), ("田", "Tian"), ("董", "Dong"),
    ("潘", "Pan"), ("袁", "Yuan"), ("蔡", "Cai"), ("蒋", "Jiang"), ("欧阳", "Ouyang"),
]  # fmt: skip
GIVEN = [
    ("伟", "Wei"), ("芳", "Fang"), ("娜", "Na"), ("敏", "Min"), ("静", "Jing"),
    ("磊", "Lei"), ("洋", "Yang"), ("婷", "Ting"), ("杰", "Jie"), ("涛", "Tao"),
    ("明", "Ming"), ("超", "Chao"), ("霞", "Xia"), ("平", "Ping"), ("刚", "Gang"),
    ("晨", "Chen"), ("宇", "Yu"), ("欣", "Xin"), ("浩", "Hao"), ("佳", "Jia"),
    ("子", "Zi"), ("梓", "Zi"), ("涵", "Han"), ("轩", "Xuan"), ("怡", "Yi"),
    ("思", "Si"), ("雨", "Yu"), ("嘉", "Jia"), ("博", "Bo"), ("文", "Wen"),
    ("俊", "Jun"), ("琳", "Lin"), ("晓", "Xiao"), ("鑫", "Xin"), ("悦", "Yue"),
    ("凯", "Kai"), ("瑶", "Yao"), ("昊", "Hao"), ("萱", "Xuan"), ("然", "Ran"),
]  # fmt: skip
# International students: an English name and the Chinese name they use on campus.
INTERNATIONAL = [
    ("Emma Johnson", "艾玛"), ("Liam Smith", "连恩"), ("Olivia Brown", "奥利维亚"),
    ("Noah Williams", "诺亚"), ("Sofia Garcia", "索菲亚"), ("Lucas Martin", "卢卡斯"),
    ("Mia Müller", "米娅"), ("Ethan Davis", "伊森"), ("Amara Okafor", "阿玛拉"),
    ("Yuki Tanaka", "田中雪"), ("Min-jun Kim", "金敏俊"), ("Aisha Khan", "艾莎"),
    ("Daniel Novak", "丹尼尔"), ("Priya Sharma", "普丽娅"), ("Mateo Rossi", "马特奥"),
    ("Chloe Dubois", "克洛伊"), ("Arjun Patel", "阿俊"), ("Hana Sato", "佐藤花"),
    ("Omar Haddad", "奥马尔"), ("Nina Ivanova", "妮娜"), ("Lucas Silva", "卢卡"),
    ("Grace Lee", "李格蕾"), ("Tom Becker", "汤姆"), ("Fatima Zahra", "法蒂玛"),
]  # fmt: skip


class StudentSeed(NamedTuple):
    username: str
    name: str
    locale: Locale
    diets: list[str]
    allergens: list[str]


def student_seeds() -> list[StudentSeed]:
    """The same cohort every time (one fixed random stream)."""
    rng = random.Random("houqin-demo-students")
    students = []
    for n in range(STUDENT_COUNT):
        username = f"s{FIRST_NUMBER + n}"
        if rng.random() < 0.12:
            english, chinese = INTERNATIONAL[rng.randrange(len(INTERNATIONAL))]
            name, locale = f"{english} {chinese}", Locale.en
        else:
            surname_zh, surname_en = SURNAMES[rng.randrange(len(SURNAMES))]
            given = [GIVEN[rng.randrange(len(GIVEN))] for _ in range(rng.choice((1, 2, 2)))]
            given_zh = "".join(zh for zh, _ in given)
            given_en = "".join(en for _, en in given).capitalize()
            name = f"{surname_zh}{given_zh} {surname_en} {given_en}"
            locale = Locale.en if rng.random() < 0.2 else Locale.zh
        diets: list[str] = []
        roll = rng.random()
        if roll < 0.08:
            diets = [Diet.halal.value]
        elif roll < 0.14:
            diets = [Diet.vegetarian.value]
        elif roll < 0.16:
            diets = [Diet.vegan.value]
        elif roll < 0.20:
            diets = [Diet.no_pork.value]
        allergens = sorted(
            allergen.value
            for allergen, chance in (
                (Allergen.peanut, 0.06),
                (Allergen.shellfish, 0.05),
                (Allergen.milk, 0.04),
                (Allergen.egg, 0.02),
                (Allergen.wheat_gluten, 0.02),
                (Allergen.sesame, 0.02),
            )
            if rng.random() < chance
        )
        students.append(StudentSeed(username, name, locale, diets, allergens))
    return students
