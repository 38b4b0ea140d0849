"""/rank: points earned this month or all time, by people, teams or departments — the top
ten, the reader's own place when it is lower, and the same as a bar chart.

`/rank`, `/rank all`, `/rank team`, `/rank dept` and their combinations (`/rank team all`),
in English or Chinese words; buttons under the chart switch between them. The chart is a
recipe the delivery worker draws (reports/ranking_chart.py), outside this transaction.
"""

from __future__ import annotations

from core.buttons import RankButton, encode
from core.pictures import BarChart
from core.ranking import Board, Period, Ranking, Standing, rank, since, unit_of
from handlers import render
from handlers.context import ButtonSpec, Turn

# What a word after /rank asks for; anything else is answered with the usage.
WORDS: dict[str, Board | Period] = {
    **dict.fromkeys(("month", "本月", "月"), Period.MONTH),
    **dict.fromkeys(("all", "total", "全部", "累计", "总"), Period.ALL),
    **dict.fromkeys(("people", "person", "me", "个人"), Board.PEOPLE),
    **dict.fromkeys(("team", "teams", "班组"), Board.TEAMS),
    **dict.fromkeys(("dept", "depts", "department", "departments", "部门"), Board.DEPARTMENTS),
}


def parse(args: str) -> tuple[Board, Period] | None:
    """The board and period the words ask for (people, this month unless said); None when a
    word means nothing here."""
    board, period = Board.PEOPLE, Period.MONTH
    for word in args.replace(",", " ").replace("，", " ").split():
        meaning = WORDS.get(word.casefold())
        if meaning is None:
            return None
        if isinstance(meaning, Board):
            board = meaning
        else:
            period = meaning
    return board, period


def rank_command(turn: Turn) -> None:
    wanted = parse(turn.event.args)
    if wanted is None:
        turn.reply("rank.usage")
        return
    show(turn, *wanted)


def press_rank(turn: Turn, pressed: RankButton) -> None:
    show(turn, pressed.board, pressed.period)


def show(turn: Turn, board: Board, period: Period) -> None:
    plant = turn.plant
    start = since(period, turn.services.clock.now(), plant.timezone)
    ranking = rank(plant, turn.uow.rankings.earned(start), board, period)
    heading = turn.text(
        "rank.heading", board=turn.text(f"rank.of.{board}"),
        period=(turn.text("rank.period.month", month=start.strftime("%Y-%m")) if start
                else turn.text("rank.period.all")),
    )
    buttons = switches(board, period)
    if not ranking.standings:
        turn.reply("rank.nobody", heading=heading, buttons=buttons)
        return
    mine = ranking.of(unit_of(plant, turn.person.id, board))
    shown = list(ranking.top())
    lower = mine if mine is not None and mine not in shown else None
    lines = [_line(turn, board, standing, standing == mine) for standing in shown]
    if lower is not None:
        lines += ["…", _line(turn, board, lower, True)]
    listed = [*shown, *([lower] if lower else [])]
    chart = BarChart(
        heading, tuple(f"{s.place}. {name_of(turn, board, s.key)}" for s in listed),
        tuple(s.points for s in listed),
        mine=listed.index(mine) if mine is not None else None, subtitle=plant.name,
    )
    event = turn.event
    turn.notify.to_chat(
        event.channel, event.chat, turn.lang, "rank.board", person=turn.person.id,
        buttons=buttons, picture=chart,
        values={"heading": heading, "lines": "\n".join(lines),
                "mine": my_place(turn, board, ranking, mine)},
    )


def switches(board: Board, period: Period) -> list[ButtonSpec]:
    """The other period, then the other boards, each keeping what the reader chose else."""
    other = Period.ALL if period is Period.MONTH else Period.MONTH
    return [(f"rank.show.{other}", encode(RankButton(board, other)))] + [
        (f"rank.show.{b}", encode(RankButton(b, period))) for b in Board if b is not board
    ]


def name_of(turn: Turn, board: Board, key: str) -> str:
    plant, lang = turn.plant, turn.lang
    if board is Board.PEOPLE:
        return render.person_name(plant, key)
    if board is Board.TEAMS:
        return render.team_name(plant, key, lang)
    department = plant.departments_by_id.get(key)
    return department.label(lang) if department else key


def _line(turn: Turn, board: Board, standing: Standing, mine: bool) -> str:
    return turn.text("rank.line_mine" if mine else "rank.line", place=standing.place,
                     name=name_of(turn, board, standing.key), points=standing.points)


def my_place(turn: Turn, board: Board, ranking: Ranking, mine: Standing | None) -> str:
    """Where the reader stands: their own place, or their team's or department's."""
    count = len(ranking.standings)
    if board is Board.PEOPLE:
        if mine is None:
            return turn.text("rank.unranked")
        return turn.text("rank.place", place=mine.place, count=count)
    unit = unit_of(turn.plant, turn.person.id, board)
    if unit is None:
        return turn.text("rank.no_team" if board is Board.TEAMS else "rank.no_department")
    name = name_of(turn, board, unit)
    if mine is None:
        return turn.text("rank.unit_unranked", unit=name)
    return turn.text("rank.unit_place", unit=name, place=mine.place, count=count)
