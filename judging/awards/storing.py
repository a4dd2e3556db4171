"""Award storing: write a run's Result rows in one statement whatever their number."""

from __future__ import annotations

import json
from decimal import Decimal

from django.db import connection

from judging.models import Result

RESULT_COLUMNS = (
    "run_id", "submission_id", "venue_id", "final_score", "phase_scores", "valid_cards",
    "rank_in_venue", "rank_in_category", "decision", "tier", "reason", "cards",
    "tiebreak_value", "spread", "draw_number",
)  # fmt: skip


JSON_COLUMNS = {"phase_scores", "cards"}


def insert_results(results: list[dict]) -> None:
    """Insert the results, given as {column: value} (``RESULT_COLUMNS``), in one statement
    whatever their number (one JSON parameter); no model instance is made for them.

    SQLite allows 999 parameters a statement and would split a bulk insert into a statement
    per ~60 rows; passing the rows as one JSON document keeps the run's query count fixed.
    """
    if connection.vendor not in ("sqlite", "postgresql"):
        Result.objects.bulk_create([Result(**row) for row in results], batch_size=500)
        return
    if not results:
        return
    rows = [[_plain(row[column]) for column in RESULT_COLUMNS] for row in results]
    payload = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
    table = connection.ops.quote_name(Result._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in RESULT_COLUMNS)
    if connection.vendor == "sqlite":
        values = ", ".join(f"json_extract(value, '$[{i}]')" for i, _ in enumerate(RESULT_COLUMNS))
        sql = f"INSERT INTO {table} ({columns}) SELECT {values} FROM json_each(%s)"
    else:
        types = {f.column: f.db_type(connection) for f in Result._meta.concrete_fields}
        values = ", ".join(
            f"(x -> {i})::jsonb" if c in JSON_COLUMNS else f"(x ->> {i})::{types[c]}"
            for i, c in enumerate(RESULT_COLUMNS)
        )
        sql = f"INSERT INTO {table} ({columns}) SELECT {values} FROM jsonb_array_elements(%s::jsonb) AS x"
    with connection.cursor() as cursor:
        cursor.execute(sql, [payload])


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    return value
