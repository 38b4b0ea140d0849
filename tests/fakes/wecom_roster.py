"""The small company address book the fake WeCom server serves through its contact API.

Shapes follow `department/list` and `user/list`; names and ids match the demo plant where
the demo plant has the person, so a sync shows known, changed and new people.
"""

from __future__ import annotations

from typing import Any

DEPARTMENTS: list[dict[str, Any]] = [
    {"id": 1, "name": "苏州恒锐精密机械有限公司", "name_en": "", "parentid": 0, "order": 100000000,
     "department_leader": []},
    {"id": 2, "name": "设备部", "name_en": "Equipment", "parentid": 1, "order": 99999000,
     "department_leader": ["zhangwei"]},
    {"id": 3, "name": "电气维修班", "name_en": "", "parentid": 2, "order": 99998000,
     "department_leader": ["sunqiang"]},
    {"id": 4, "name": "生产部", "name_en": "", "parentid": 1, "order": 99997000,
     "department_leader": ["zhaolei"]},
    {"id": 5, "name": "冲压一线", "name_en": "", "parentid": 4, "order": 99996000,
     "department_leader": []},
    {"id": 6, "name": "总经办", "name_en": "", "parentid": 1, "order": 99995000,
     "department_leader": ["chenzong"]},
]

PRIVATE_FIELDS = ("mobile", "email", "biz_mail", "gender", "avatar", "thumb_avatar", "address")


def _member(userid: str, name: str, departments: list[int], mobile: str, *,
            position: str = "", leaders: tuple[str, ...] = (), status: int = 1,
            email: str = "") -> dict[str, Any]:
    return {
        "userid": userid, "name": name, "department": departments,
        "order": [0] * len(departments), "main_department": departments[0],
        "position": position, "mobile": mobile, "gender": "1", "email": email,
        "biz_mail": "", "is_leader_in_dept": [0] * len(departments),
        "direct_leader": list(leaders), "avatar": "", "thumb_avatar": "", "telephone": "",
        "alias": "", "status": status, "address": "", "open_userid": f"wo{userid}",
        "extattr": {"attrs": []}, "external_position": "",
    }


MEMBERS: list[dict[str, Any]] = [
    _member("zhangwei", "张伟", [2], "13800000006", position="设备部经理",
            email="zhangwei@hengrui.example"),
    _member("sunqiang", "孙强", [3], "13800000007", position="电气班长",
            leaders=("zhangwei",)),
    _member("wuhaifeng", "吴海峰", [3], "+86 13900000008", leaders=("sunqiang",)),
    _member("qianbo", "钱波", [3], "13800000021", position="电工", leaders=("sunqiang",),
            email="qianbo@hengrui.example"),
    _member("maxiaodong", "马晓东", [5], "13800000016", leaders=("huangzhiming",)),
    _member("Sun.Li", "孙丽", [5, 4], "13800000023", leaders=("huangzhiming",)),
    _member("chenzong", "陈国华", [6], "13800000030", position="总经理"),
    _member("liming", "李明", [5], "13800000031", status=5),
]
