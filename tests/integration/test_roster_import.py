"""`safetyloop people import FILE`: a roster from HR's spreadsheet merged into plant.yaml."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook

from bot.cli import main
from bot.plantfile import read_plant
from bot.roster import import_file

DEMO = Path(__file__).resolve().parents[2] / "config" / "demo-plant.yaml"
CHINESE_HEADER = "工号,姓名,部门,班组,角色,上级,手机,邮箱,企业微信,telegram"


@pytest.fixture
def plant_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # no stray .env from the checkout
    for name in ("SAFETYLOOP_PLANT_FILE", "SAFETYLOOP_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return Path(shutil.copy(DEMO, tmp_path / "plant.yaml"))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def hr_workbook(path: Path) -> Path:
    """As HR exports it: a title row above the header, numbers stored as numbers."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["员工花名册 2026-11"])
    sheet.append(["id", "name", "department", "team", "roles", "superior", "phone", "email",
                  "wecom_id", "telegram_id"])
    sheet.append(["E03", "钱波", "设备部", "电气维修班", "worker", "TL-ELEC", 13800000021,
                  "qianbo@example.com", "qianbo", 100000021])
    sheet.append(["W05", "胡斌", "PROD", None, None, None, "+86 139 0000 0020",
                  "hubin@example.com", None, None])
    sheet.append(["W01", "马晓东", "PROD", None, "worker", "SL1", "13800000016", None,
                  "maxiaodong", 100000016])
    book.save(path)
    return path


def comment_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.lstrip().startswith("#") or " # " in line]


def test_an_xlsx_roster_shows_the_diff_and_writes_nothing_without_yes(
    plant_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = plant_file.read_bytes()
    book = hr_workbook(tmp_path / "roster.xlsx")

    code, out, err = run(capsys, "people", "import", str(book), "--config", str(plant_file))

    assert code == 0, err
    assert "+  - id: E03" in out and "+    team: ELEC" in out  # names resolved to ids
    assert '-    phone: "13800000020"' in out and '+    phone: "13900000020"' in out
    assert "+    email: hubin@example.com" in out
    assert "new (1): E03" in out and "updated (1): W05 (phone, email)" in out
    assert "unchanged (1): W01" in out
    assert "not in the file, left as they are" in out and "SO1" in out
    assert "nothing written" in out and "--yes" in out
    assert plant_file.read_bytes() == before


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_a_chinese_csv_roster_is_written_with_yes_keeping_every_comment(
    plant_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], encoding: str
) -> None:
    before = plant_file.read_text(encoding="utf-8")
    roster = tmp_path / "花名册.csv"
    roster.write_text(
        f"{CHINESE_HEADER}\n"
        "M03,陈刚,设备部,机械维修班,员工,TL-MECH,13800000022,,chengang,\n"
        "W03,杨帆,生产部,,员工、安全员,SL1,13800000018,yangfan@example.com,yangfan,100000018\n",
        encoding=encoding,
    )

    code, out, err = run(capsys, "people", "import", str(roster), "--config", str(plant_file),
                         "--yes")

    assert code == 0, err
    assert "wrote" in out
    after = plant_file.read_text(encoding="utf-8")
    assert comment_lines(after) == comment_lines(before)
    lines = after.splitlines()
    assert lines.index("  - id: M03") < lines.index(
        "# Areas (区域). risk_class: A = highest risk, inspected most often; C = lowest.")
    plant = read_plant(plant_file)
    newcomer = plant.person("M03")
    assert newcomer is not None
    assert (newcomer.name, newcomer.team, newcomer.accounts) == (
        "陈刚", "MECH", {"wecom": "chengang"})
    w03 = plant.person("W03")
    assert w03 is not None
    assert [str(r) for r in w03.roles] == ["worker", "safety_officer"]
    assert w03.email == "yangfan@example.com"


def test_bad_rows_are_listed_with_their_row_numbers_and_nothing_is_written(
    plant_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = plant_file.read_bytes()
    roster = tmp_path / "roster.csv"
    roster.write_text(
        f"{CHINESE_HEADER}\n"
        ",无名氏,PROD,,,,,,,\n"
        "X01,钱一,财务部,,,,,,,\n"
        "X02,钱二,PROD,,boss,,,,,\n"
        "X03,钱三,PROD,,,,12345,,,\n"
        "X04,钱四,PROD,,,,13800000099,,,\n",
        encoding="utf-8",
    )

    code, out, err = run(capsys, "people", "import", str(roster), "--config", str(plant_file),
                         "--yes")

    assert code == 1
    assert "row 2: no id" in err
    assert "row 3: unknown department '财务部'" in err
    assert "row 4: unknown role 'boss'" in err
    assert "row 5: bad phone '12345'" in err
    assert "row 6" not in err and "nothing written" in err
    assert "+++" not in out
    assert plant_file.read_bytes() == before


def test_a_merge_that_fails_plant_validation_writes_nothing(
    plant_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = plant_file.read_bytes()
    roster = tmp_path / "roster.csv"
    roster.write_text("id,roles\nSO1,worker\nSO2,worker\n", encoding="utf-8")

    code, _out, err = run(capsys, "people", "import", str(roster), "--config", str(plant_file),
                          "--yes")

    assert code == 1
    assert "would not pass validation" in err
    assert f"{plant_file}: people: nobody has the role 'safety_officer'" in err
    assert plant_file.read_bytes() == before


def test_the_terminal_prompt_writes_only_on_yes(plant_file: Path, tmp_path: Path) -> None:
    before = plant_file.read_bytes()
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name,department\nW06,孙丽,PROD\n", encoding="utf-8")
    questions: list[str] = []

    def answer(reply: bool) -> bool:
        out = io.StringIO()
        code = import_file(roster, plant_file, yes=False, out=out, err=out,
                           ask=lambda q: questions.append(q) is None and reply)
        assert code == 0, out.getvalue()
        return "wrote" in out.getvalue()

    assert not answer(False) and plant_file.read_bytes() == before
    assert answer(True) and "W06" in plant_file.read_text(encoding="utf-8")
    assert questions and "[y/N]" in questions[0]
